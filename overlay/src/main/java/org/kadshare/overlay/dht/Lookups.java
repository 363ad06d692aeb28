package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.kadshare.overlay.krpc.EncodedKeyword;
import org.kadshare.overlay.krpc.EncodedManifest;
import org.kadshare.overlay.krpc.FindNodeQuery;
import org.kadshare.overlay.krpc.GetKeywordsQuery;
import org.kadshare.overlay.krpc.GetManifestsQuery;
import org.kadshare.overlay.krpc.GetPeersQuery;
import org.kadshare.overlay.krpc.KrpcQuery;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.NodeInfo;
import org.kadshare.overlay.krpc.PeerInfo;
import org.kadshare.overlay.krpc.Token;
import org.kadshare.overlay.krpc.TransactionId;
import org.kadshare.storage.KeywordRecordCodec;
import org.kadshare.storage.ManifestCodec;
import org.kadshare.storage.ManifestException;

/**
 * The node's running lookups and their bookkeeping: each is a {@link DisjointLookup} whose queries
 * go out through {@link OutboundQueries}, carrying the peer's recent token ({@link PeerTokens});
 * a second lookup of the same target and kind joins the running one ({@link JoinedLookup}); an
 * answer that withheld values is fetched again with its token ({@link WithheldFetches}). Answers
 * reach the lookup with the contacts this node has seen fail left out, and only the manifests and
 * keyword records that verify and belong to the target. {@link #storeAtClosest} sends a store
 * query to each of a lookup's closest responders with the token it gave.
 */
final class Lookups {
    /** What a lookup asks for: nodes (find_node), holders (get_peers), manifests or keyword records. */
    enum Kind { NODES, PEERS, MANIFESTS, KEYWORDS }

    private record LookupKey(NodeId target, Kind kind) {}

    /** Makes a store query to one of a lookup's closest responders, with the token it gave. */
    interface StoreQueryMaker {
        KrpcQuery make(TransactionId tid, Token token);
    }

    private final DhtEnvironment env;
    private final NodeId id;
    private final DhtConfig config;
    private final RoutingTable table;
    private final OutboundQueries queries;
    private final PeerTokens peerTokens;
    private final KrpcTraffic traffic;
    private final DhtTally tally;
    private final Map<LookupKey, JoinedLookup> running = new HashMap<>();

    Lookups(DhtEnvironment env, NodeId id, DhtConfig config, RoutingTable table, OutboundQueries queries,
            PeerTokens peerTokens, KrpcTraffic traffic, DhtTally tally) {
        this.env = env;
        this.id = id;
        this.config = config;
        this.table = table;
        this.queries = queries;
        this.peerTokens = peerTokens;
        this.traffic = traffic;
        this.tally = tally;
    }

    /**
     * Runs a lookup, or joins the one already running for the same target and kind: its result
     * goes to every caller, so concurrent gets of one file cost one lookup, not one each.
     */
    void lookup(NodeId target, List<Contact> seeds, Kind kind, Consumer<Lookup.Result> onDone) {
        lookup(target, seeds, kind, Lookup.Finds.NONE, onDone);
    }

    /**
     * Runs a lookup from {@code seeds} (when the table held only suspect contacts, so the seeds
     * are empty, from those rather than from nobody), or joins the one already running for the
     * same target and kind ({@link JoinedLookup}).
     */
    void lookup(NodeId target, List<Contact> seeds, Kind kind, Lookup.Finds finds, Consumer<Lookup.Result> onDone) {
        LookupKey key = new LookupKey(target, kind);
        JoinedLookup running = this.running.get(key);
        if (running != null) {
            tally.lookupsJoined++;
            running.join(finds, onDone);
            return;
        }
        JoinedLookup callers = new JoinedLookup(finds, onDone);
        this.running.put(key, callers);
        long startedAt = env.nowMillis();
        WithheldFetches withheld = new WithheldFetches(callers, r -> {
            traffic.lookupDone(kind.name().toLowerCase(Locale.ROOT), env.nowMillis() - startedAt);
            this.running.remove(key);
            callers.done(r);
        });
        List<Contact> from = seeds.isEmpty() ? table.closestIncludingSuspects(target, config.k()) : seeds;
        LookupConfig paths = kind == Kind.NODES ? config.lookup().forNodes() : config.lookup();
        new DisjointLookup(target, id, from, paths, env, queries.rtt(),
                (l, to) -> ask(l, to, target, kind, withheld), callers, withheld::lookupDone).start();
    }

    private static KrpcQuery lookupQuery(TransactionId tid, NodeId self, NodeId target, Kind kind, Token token) {
        Optional<Token> carried = Optional.ofNullable(token);
        return switch (kind) {
            case NODES -> new FindNodeQuery(tid, self, target, DhtNode.VERSION);
            case PEERS -> new GetPeersQuery(tid, self, target, carried, DhtNode.VERSION);
            case MANIFESTS -> new GetManifestsQuery(tid, self, target, carried, DhtNode.VERSION);
            case KEYWORDS -> new GetKeywordsQuery(tid, self, target, carried, DhtNode.VERSION);
        };
    }

    /**
     * One lookup query to {@code to}, carrying the token it gave us last if that is recent. An
     * answer that withheld values or manifests (no valid token: an unproven address gets at most
     * about 3.5 times its query) counts for the lookup at once, and {@code to} is asked again
     * with the token that answer carried ({@link WithheldFetches}). An answer past the hard timeout
     * still reaches the lookup, up to the query timeout ({@link OutboundQueries#queryTakingLateReplies}):
     * the lookup keeps the contact's timeouts itself.
     */
    private void ask(Lookup l, Contact to, NodeId target, Kind kind, WithheldFetches withheld) {
        Token recent = peerTokens.recent(to.address(), env.nowMillis());
        long delay = queries.queryTakingLateReplies(to.address(), to.id(),
                tid -> lookupQuery(tid, id, target, kind, recent), reply -> {
            if (!(reply instanceof KrpcResponse r)) {
                l.failed(to);
                return;
            }
            r.token().ifPresent(t -> peerTokens.remember(to.address(), t, env.nowMillis()));
            r.relayed().forEach(h -> withheld.relayed(h.address(), to.address()));
            boolean askAgain = r.withheld() > 0 && r.token().isPresent();
            if (askAgain) {
                withheld.started();
            }
            l.responded(to, responseOf(r, target, kind));
            if (askAgain) {
                queries.query(to.address(), to.id(), tid -> lookupQuery(tid, id, target, kind, r.token().get()),
                        again -> {
                            if (again instanceof KrpcResponse r2) {
                                r2.relayed().forEach(h -> withheld.relayed(h.address(), to.address()));
                                withheld.arrived(to, responseOf(r2, target, kind));
                            } else {
                                withheld.ended();
                            }
                        }, withheld::ended, true);
            }
        }, () -> l.failed(to));
        if (delay > 0) {
            l.paced(to, delay); // its timeouts run from when it is sent, not from now
        }
    }

    /** An answer as the lookup sees it: its contacts, less those this node has seen fail. */
    private Lookup.Response responseOf(KrpcResponse r, NodeId target, Kind kind) {
        List<byte[]> values = kind == Kind.KEYWORDS ? keywordsOf(r, target) : new ArrayList<>();
        for (EncodedManifest m : kind == Kind.KEYWORDS ? List.<EncodedManifest>of() : r.manifests()) {
            byte[] bytes = m.toBytes();
            try {
                if (NodeId.of(ManifestCodec.decode(bytes).id().dhtKey()).equals(target)) {
                    values.add(bytes);
                }
            } catch (ManifestException | RuntimeException e) {
                // a forged or foreign manifest is simply not collected
            }
        }
        return new Lookup.Response(liveContactsOf(r.nodes()),
                r.values().stream().map(PeerInfo::address).toList(), values,
                r.token().map(Token::toBytes).orElse(null));
    }

    /** The contacts of an answer, less those this node has seen fail. */
    List<Contact> liveContactsOf(List<NodeInfo> nodes) {
        long now = env.nowMillis();
        return contactsOf(nodes).stream().filter(c -> !table.seenFailing(c.id(), now)).toList();
    }

    static List<Contact> contactsOf(List<NodeInfo> nodes) {
        return nodes.stream().map(n -> new Contact(n.id(), n.address())).toList();
    }

    /** The keyword records of an answer that verify and belong to {@code target}: forged ones are dropped. */
    private static List<byte[]> keywordsOf(KrpcResponse r, NodeId target) {
        List<byte[]> values = new ArrayList<>();
        for (EncodedKeyword k : r.keywords()) {
            byte[] bytes = k.toBytes();
            try {
                if (NodeId.of(KeywordRecordCodec.decode(bytes).dhtKey()).equals(target)) {
                    values.add(bytes);
                }
            } catch (ManifestException | RuntimeException e) {
                // a forged or foreign record is simply not collected
            }
        }
        return values;
    }

    /**
     * Sends the store query {@code maker} makes to each of {@code result}'s closest responders that
     * gave a token; completes {@code done} with how many accepted it.
     */
    void storeAtClosest(Lookup.Result result, StoreQueryMaker maker, CompletableFuture<Integer> done) {
        storeAtClosest(result, maker, done, stored -> { });
    }

    /** {@link #storeAtClosest}, telling {@code onStored} each node that accepted. */
    void storeAtClosest(Lookup.Result result, StoreQueryMaker maker, CompletableFuture<Integer> done,
            Consumer<InetSocketAddress> onStored) {
        List<Lookup.Responder> targets = result.closest().stream().filter(r -> r.token() != null).toList();
        int[] outstanding = {targets.size()};
        int[] accepted = {0};
        if (targets.isEmpty()) {
            done.complete(0);
        }
        for (Lookup.Responder r : targets) {
            Token token = Token.of(r.token());
            Runnable finished = () -> {
                if (--outstanding[0] == 0) {
                    done.complete(accepted[0]);
                }
            };
            queries.query(r.contact().address(), r.contact().id(), tid -> maker.make(tid, token), reply -> {
                if (reply instanceof KrpcResponse) {
                    accepted[0]++;
                    onStored.accept(r.contact().address());
                }
                finished.run();
            }, finished);
        }
    }
}
