package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The callers of one running lookup: a second find of the same key and kind joins the lookup
 * already running instead of starting its own (50 gets of one file cost one lookup). Every caller
 * is told each holder and value once, a late joiner first what was found before it came, and
 * every caller gets the result.
 */
final class JoinedLookup implements Lookup.Finds {
    /** Most (relayed holder, relay) pairs one lookup reports. */
    static final int MAX_RELAYED = 64;

    private record Caller(Lookup.Finds finds, Consumer<Lookup.Result> onDone) {}

    private final List<Caller> callers = new ArrayList<>();
    private final Set<InetSocketAddress> holders = new LinkedHashSet<>();
    private final List<byte[]> values = new ArrayList<>();
    private final Set<List<InetSocketAddress>> relayed = new LinkedHashSet<>();

    JoinedLookup(Lookup.Finds finds, Consumer<Lookup.Result> onDone) {
        callers.add(new Caller(finds, onDone));
    }

    /** Adds a caller, telling it at once what the lookup found so far. */
    void join(Lookup.Finds finds, Consumer<Lookup.Result> onDone) {
        callers.add(new Caller(finds, onDone));
        holders.forEach(finds::holder);
        values.forEach(v -> finds.value(v.clone()));
        relayed.forEach(pair -> finds.relayed(pair.get(0), pair.get(1)));
    }

    @Override
    public void holder(InetSocketAddress address) {
        if (holders.add(address)) {
            callers.forEach(c -> c.finds().holder(address));
        }
    }

    @Override
    public void value(byte[] value) {
        if (values.stream().noneMatch(v -> Arrays.equals(v, value))) {
            values.add(value.clone());
            callers.forEach(c -> c.finds().value(value.clone()));
        }
    }

    @Override
    public void relayed(InetSocketAddress holder, InetSocketAddress relay) {
        if (relayed.size() < MAX_RELAYED && relayed.add(List.of(holder, relay))) {
            callers.forEach(c -> c.finds().relayed(holder, relay));
        }
    }

    /** Hands the lookup's result to every caller. */
    void done(Lookup.Result result) {
        callers.forEach(c -> c.onDone().accept(result));
    }
}
