package org.kadshare.overlay.dht;

import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.kadshare.overlay.krpc.KeySample;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.NodeInfo;
import org.kadshare.overlay.krpc.SampleInfohashesQuery;
import org.kadshare.overlay.krpc.Token;
import org.kadshare.overlay.krpc.TransactionId;

/**
 * BEP 51 on both sides: the sample of this node's keys it hands out to sample_infohashes
 * ({@link KeySampler}), trimmed for a querier that has not proven its address, and the crawls it
 * runs itself ({@link SampleCrawl}), which ask other nodes for theirs.
 */
final class KeySamples {
    private final DhtEnvironment env;
    private final NodeId id;
    private final DhtConfig config;
    private final RoutingTable table;
    private final StoredRecords records;
    private final OwnRecords own;
    private final OutboundQueries queries;
    private final Lookups lookups;
    private final PeerTokens peerTokens;
    private final KeySampler sampler = new KeySampler(DhtNode.MAX_SAMPLES, DhtNode.SAMPLE_INTERVAL_MILLIS);

    KeySamples(DhtEnvironment env, NodeId id, DhtConfig config, RoutingTable table, StoredRecords records,
               OwnRecords own, OutboundQueries queries, Lookups lookups, PeerTokens peerTokens) {
        this.env = env;
        this.id = id;
        this.config = config;
        this.table = table;
        this.records = records;
        this.own = own;
        this.queries = queries;
        this.lookups = lookups;
        this.peerTokens = peerTokens;
    }

    /** See {@link DhtNode#sampleKeys}. */
    CompletableFuture<SampledKeys> sampleKeys(int maxQueries, long timeoutMillis) {
        if (maxQueries < 0 || timeoutMillis < 1) {
            throw new IllegalArgumentException("a crawl needs maxQueries >= 0 and timeoutMillis >= 1, got "
                    + maxQueries + " and " + timeoutMillis);
        }
        CompletableFuture<SampledKeys> done = new CompletableFuture<>();
        SampleCrawl crawl = new SampleCrawl(table.contacts(), id, Math.min(maxQueries, DhtNode.MAX_CRAWL_QUERIES),
                DhtNode.MAX_CRAWL_KEYS, config.lookup().alpha(), this::askForSample, done::complete);
        crawl.reported(List.copyOf(storedKeys()));
        DhtEnvironment.Cancellable timer = env.schedule(timeoutMillis, crawl::stop);
        done.whenComplete((r, e) -> timer.cancel());
        crawl.start();
        return done;
    }

    /**
     * One crawl query to {@code to}, carrying {@code token}, else the token it gave us last if that
     * is recent (then its full sample comes at once); the token of its answer is remembered.
     */
    private void askForSample(Contact to, Token token, Consumer<SampleCrawl.Answer> onAnswer, Runnable onFailure) {
        NodeId target = NodeId.random(env.random());
        Token carried = token != null ? token : peerTokens.recent(to.address(), env.nowMillis());
        queries.query(to.address(), to.id(), tid -> new SampleInfohashesQuery(tid, id, target,
                Optional.ofNullable(carried), DhtNode.VERSION), reply -> {
                    if (reply instanceof KrpcResponse r && r.sample().isPresent()) {
                        long now = env.nowMillis();
                        r.token().ifPresent(t -> peerTokens.remember(to.address(), t, now));
                        onAnswer.accept(new SampleCrawl.Answer(lookups.liveContactsOf(r.nodes()),
                                r.sample().get().samples(), r.withheld(), r.sample().get().num(),
                                r.token().orElse(null)));
                    } else {
                        onFailure.run();
                    }
                }, onFailure);
    }

    /** Every key this node stores records under or announces itself, ordered. */
    private SortedSet<NodeId> storedKeys() {
        return records.keys(own.announcedKeys());
    }

    /** The sample to hand out now: the last one, or a new draw when it is due ({@link KeySampler}). */
    List<NodeId> current(long now) {
        return sampler.sample(records.keyCount() + own.announcedKeys().size(), this::storedKeys, now, env.random());
    }

    /**
     * The answer to sample_infohashes with {@code sample}, the nodes near the target and a token.
     * To a querier that has not proven its address, samples and then nodes are left out until it
     * fits the {@link AmplificationBudget}, "withheld" saying how many samples are missing.
     */
    KrpcResponse reply(TransactionId tid, List<NodeId> sample, List<NodeInfo> nodes, Optional<Token> token,
                       boolean proven, int queryBytes) {
        KrpcResponse reply = response(tid, nodes, sample, token, 0);
        if (proven) {
            return reply;
        }
        int budget = AmplificationBudget.trimmedAnswerBytes(queryBytes);
        int keepSamples = sample.size();
        int keepNodes = nodes.size();
        while (KrpcCodec.encode(reply).length > budget && (keepSamples > 0 || keepNodes > 0)) {
            if (keepSamples > 0) {
                keepSamples--;
            } else {
                keepNodes--;
            }
            reply = response(tid, nodes.subList(0, keepNodes), sample.subList(0, keepSamples),
                    token, sample.size() - keepSamples);
        }
        return reply;
    }

    private KrpcResponse response(TransactionId tid, List<NodeInfo> nodes, List<NodeId> sample,
                                  Optional<Token> token, int withheld) {
        return new KrpcResponse(tid, id, nodes, List.of(), token, List.of(), List.of(), withheld, DhtNode.VERSION,
                Optional.of(new KeySample(sampler.intervalSeconds(), sampler.num(), sample)));
    }
}
