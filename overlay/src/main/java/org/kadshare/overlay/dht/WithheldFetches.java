package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The second queries of one lookup: a node that withheld values or manifests from us (we had
 * shown no valid token: it will not answer an unproven address with more than about 3.5 times
 * the query) is asked again with the token its first answer carried. The lookup goes on with
 * the first answer's contacts meanwhile; what the second answers bring is reported to the
 * lookup's {@link Lookup.Finds} as it arrives, and the result is handed on once the lookup has
 * ended and every second query has been answered or timed out, with it added.
 */
final class WithheldFetches {
    private final Lookup.Finds finds;
    private final Consumer<Lookup.Result> onDone;
    private final Set<InetSocketAddress> peers = new LinkedHashSet<>();
    private final List<byte[]> values = new ArrayList<>();
    private final Set<Contact> delivered = new LinkedHashSet<>();
    private int pending;
    private Lookup.Result finished;
    private boolean handedOn;

    WithheldFetches(Lookup.Finds finds, Consumer<Lookup.Result> onDone) {
        this.finds = finds;
        this.onDone = onDone;
    }

    /** An answer of the lookup (first or second) listed {@code holder} as relayed by {@code relay}. */
    void relayed(InetSocketAddress holder, InetSocketAddress relay) {
        finds.relayed(holder, relay);
    }

    /** A second query to some contact was sent. */
    void started() {
        pending++;
    }

    /** {@code from} answered the second query with {@code response}. */
    void arrived(Contact from, Lookup.Response response) {
        for (InetSocketAddress p : response.peers()) {
            if (peers.add(p)) {
                finds.holder(p);
            }
        }
        for (byte[] v : response.values()) {
            if (values.stream().noneMatch(x -> Arrays.equals(x, v))) {
                values.add(v);
                finds.value(v.clone());
            }
        }
        if (response.hasValues()) {
            delivered.add(from);
        }
        ended();
    }

    /** A second query ended without a usable answer (or after {@link #arrived}). */
    void ended() {
        pending--;
        handOnIfDone();
    }

    /** The lookup itself ended with {@code result}. */
    void lookupDone(Lookup.Result result) {
        finished = result;
        handOnIfDone();
    }

    private void handOnIfDone() {
        if (finished == null || pending > 0 || handedOn) {
            return;
        }
        handedOn = true;
        if (peers.isEmpty() && values.isEmpty()) {
            onDone.accept(finished);
            return;
        }
        Set<InetSocketAddress> allPeers = new LinkedHashSet<>(finished.peers());
        allPeers.addAll(peers);
        List<byte[]> allValues = new ArrayList<>(finished.values());
        for (byte[] v : values) {
            if (allValues.stream().noneMatch(x -> Arrays.equals(x, v))) {
                allValues.add(v);
            }
        }
        Lookup.Responder cacheAt = finished.cacheAt() != null && delivered.contains(finished.cacheAt().contact())
                ? null : finished.cacheAt();
        onDone.accept(new Lookup.Result(finished.target(), finished.closest(), List.copyOf(allPeers),
                List.copyOf(allValues), cacheAt, finished.trace()));
    }
}
