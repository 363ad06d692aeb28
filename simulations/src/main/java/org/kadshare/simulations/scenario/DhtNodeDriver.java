package org.kadshare.simulations.scenario;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.kadshare.overlay.dht.DhtConfig;
import org.kadshare.overlay.dht.DhtNode;
import org.kadshare.overlay.dht.LookupTrace;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.simulations.sim.NodeFactory;

/**
 * Drives the real DHT core, {@link DhtNode}, in the simulator. Each core is started as soon as it
 * is built; a graceful leave stops it. Holder lookups report their rounds, queries and the round
 * of the first answer carrying the record ({@code DhtNode.lookupHolders}); the contacts'
 * addresses are not shown, so table health is probed with find_node.
 */
public final class DhtNodeDriver implements DhtDriver<DhtNode> {
    private final DhtConfig config;

    /** A driver building every node with {@code config}. */
    public DhtNodeDriver(DhtConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The configuration of a node on the open internet ({@link DhtConfig#defaults()}). */
    public static DhtNodeDriver withDefaults() {
        return new DhtNodeDriver(DhtConfig.defaults());
    }

    /** {@code base} with other manifest times: TTL and republish period. */
    public static DhtConfig withManifestTimes(DhtConfig base, long manifestTtlMillis, long republishMillis) {
        return base.withRecordTimes(base.holderTtlMillis(), base.reannounceMillis(), manifestTtlMillis,
                republishMillis);
    }

    /** {@code base} with other holder-record times: TTL and re-announce period. */
    public static DhtConfig withHolderTimes(DhtConfig base, long holderTtlMillis, long reannounceMillis) {
        return base.withRecordTimes(holderTtlMillis, reannounceMillis, base.manifestTtlMillis(),
                base.republishMillis());
    }

    /** The configuration every node is built with. */
    public DhtConfig config() {
        return config;
    }

    @Override
    public NodeFactory<DhtNode> factory() {
        return (env, id) -> {
            DhtNode node = new DhtNode(env, id, config);
            node.start();
            return node;
        };
    }

    @Override
    public void join(DhtNode core, List<InetSocketAddress> bootstrap, Runnable done) {
        core.join(bootstrap).thenRun(done);
    }

    @Override
    public void announce(DhtNode core, NodeId key, int port) {
        core.announce(key, port);
    }

    @Override
    public void findHolders(DhtNode core, NodeId key, Consumer<LookupOutcome> done) {
        core.lookupHolders(key).thenAccept(found -> {
            LookupTrace t = found.trace();
            done.accept(new LookupOutcome(found.holders(), t.rounds(), t.queried(),
                    t.foundValue() ? t.firstValueRound() : LookupOutcome.UNKNOWN,
                    t.foundValue() ? t.firstValueMillis() : LookupOutcome.UNKNOWN));
        });
    }

    @Override
    public int routingTableSize(DhtNode core) {
        return core.routingTableSize();
    }

    @Override
    public Optional<List<InetSocketAddress>> contacts(DhtNode core) {
        return Optional.empty();
    }

    @Override
    public void leave(DhtNode core) {
        core.stop();
    }

    @Override
    public long holderTtlMillis() {
        return config.holderTtlMillis();
    }

    @Override
    public boolean speaksKrpc() {
        return true;
    }

    @Override
    public boolean storesManifests() {
        return true;
    }

    @Override
    public void putManifest(DhtNode core, byte[] encoded) {
        core.putManifest(encoded);
    }

    @Override
    public void findManifests(DhtNode core, NodeId key, Consumer<List<byte[]>> done) {
        core.findManifests(key).thenAccept(done);
    }

    @Override
    public boolean storesKeywords() {
        return true;
    }

    @Override
    public void putKeyword(DhtNode core, byte[] encoded) {
        core.putKeyword(encoded);
    }

    @Override
    public void findKeywords(DhtNode core, NodeId key, Consumer<List<byte[]>> done) {
        core.findKeywords(key, r -> { }).thenAccept(done);
    }

    @Override
    public long manifestTtlMillis() {
        return config.manifestTtlMillis();
    }
}
