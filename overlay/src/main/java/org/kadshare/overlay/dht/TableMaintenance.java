package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.kadshare.overlay.krpc.FindNodeQuery;
import org.kadshare.overlay.krpc.KrpcResponse;

/**
 * Filling the routing table and keeping it filled: joining through bootstrap addresses (each
 * asked again while it stays silent, {@link BootstrapQuery}), then a lookup of our own ID and a
 * refresh of every bucket; at each maintenance tick a lookup in each idle bucket, and a new join
 * through the remembered addresses when no usable contact is left.
 */
final class TableMaintenance {
    /** Bootstrap addresses kept for joining again. */
    static final int MAX_REMEMBERED_BOOTSTRAP = 64;

    private final DhtEnvironment env;
    private final NodeId id;
    private final DhtConfig config;
    private final RoutingTable table;
    private final OutboundQueries queries;
    private final Lookups lookups;
    private final BooleanSupplier stopped;
    private final Runnable onRejoined;
    private List<InetSocketAddress> remembered = List.of();
    private boolean rejoining;

    /** {@code onRejoined} runs after a join again (of {@link #rejoinIfAlone}) brought contacts. */
    TableMaintenance(DhtEnvironment env, NodeId id, DhtConfig config, RoutingTable table, OutboundQueries queries,
                     Lookups lookups, BooleanSupplier stopped, Runnable onRejoined) {
        this.env = env;
        this.id = id;
        this.config = config;
        this.table = table;
        this.queries = queries;
        this.lookups = lookups;
        this.stopped = stopped;
        this.onRejoined = onRejoined;
    }

    /** See {@link DhtNode#join}. */
    CompletableFuture<Integer> join(List<InetSocketAddress> bootstrap) {
        remembered = List.copyOf(bootstrap.subList(0, Math.min(bootstrap.size(), MAX_REMEMBERED_BOOTSTRAP)));
        CompletableFuture<Integer> joined = new CompletableFuture<>();
        List<Contact> seeds = new ArrayList<>();
        int[] outstanding = {bootstrap.size()};
        Runnable next = () -> {
            if (--outstanding[0] == 0) {
                seeds.addAll(table.closest(id, config.k()));
                lookups.lookup(id, seeds, Lookups.Kind.NODES, own -> {
                    List<NodeId> targets = new ArrayList<>();
                    for (int i = 0; i < table.bucketCount() - 1; i++) {
                        targets.add(table.randomIdInBucket(i, env.random()));
                    }
                    refreshAll(targets, () -> joined.complete(table.size()));
                });
            }
        };
        if (bootstrap.isEmpty()) {
            outstanding[0] = 1;
            next.run();
        }
        for (InetSocketAddress address : bootstrap) {
            new BootstrapQuery(env, stopped, (answered, failed) -> queries.query(address, null,
                    tid -> new FindNodeQuery(tid, id, id, DhtNode.VERSION), reply -> {
                        if (reply instanceof KrpcResponse r) {
                            answered.accept(Lookups.contactsOf(r.nodes()));
                        } else {
                            failed.run();
                        }
                    }, failed), contacts -> {
                        seeds.addAll(contacts);
                        next.run();
                    }).start();
        }
        return joined;
    }

    /** One maintenance tick: joins again if alone, then refreshes the buckets that are due. */
    void maintain(long now) {
        rejoinIfAlone(now);
        for (NodeId target : table.refreshTargets(now, env.random())) {
            lookups.lookup(target, table.closest(target, config.k()), Lookups.Kind.NODES, r -> { });
        }
    }

    /** Joins again through the remembered bootstrap addresses when no usable contact is left. */
    private void rejoinIfAlone(long now) {
        if (rejoining || remembered.isEmpty() || hasUsableContact(now)) {
            return;
        }
        rejoining = true;
        join(remembered).whenComplete((size, error) -> {
            rejoining = false;
            if (size != null && size > 0) {
                onRejoined.run();
            }
        });
    }

    private boolean hasUsableContact(long now) {
        for (Contact c : table.contacts()) {
            if (table.stateOf(c.id(), now) != ContactState.BAD) {
                return true;
            }
        }
        return false;
    }

    private void refreshAll(List<NodeId> targets, Runnable then) {
        if (targets.isEmpty()) {
            then.run();
            return;
        }
        int[] outstanding = {targets.size()};
        for (NodeId target : targets) {
            lookups.lookup(target, table.closest(target, config.k()), Lookups.Kind.NODES, r -> {
                if (--outstanding[0] == 0) {
                    then.run();
                }
            });
        }
    }
}
