package org.kadshare.overlay.dht;

/**
 * Every limit and time of a {@link DhtNode}, named, with BEP 5 / Kademlia defaults from
 * {@link #defaults()}; tests shrink the times and lift the one-contact-per-IP rule for loopback.
 *
 * @param k                          bucket size, and how many closest nodes store a record (8)
 * @param alpha                      parallel requests of a lookup (3)
 * @param replacementCacheSize       cached replacement contacts per bucket (8)
 * @param maxFailures                unanswered queries in a row that make a contact bad (2)
 * @param questionableAfterMillis    inactivity before a good contact turns questionable (15 min)
 * @param bucketRefreshMillis        an unchanged bucket is refreshed after this (15 min)
 * @param onePerIp                   at most one routing contact per IP address (true)
 * @param queryTimeoutMillis         upper bound of a query's hard timeout, which is otherwise 3 soft
 *                                   timeouts ({@link RttEstimator}) (5 s)
 * @param rttInitialMillis           soft timeout before any RTT was measured (1 s)
 * @param rttMinMillis               lower clamp of the soft timeout (100 ms)
 * @param rttMaxMillis               upper clamp of the soft timeout (3 s)
 * @param maxPendingQueries          our own queries in flight at once (1024)
 * @param tokenRotationMillis        write-token secret rotation (5 min)
 * @param queriesPerSecond           sustained queries accepted per source IP (20/s)
 * @param queryBurst                 burst of queries accepted per source IP (50)
 * @param rateLimitedSources         source IPs tracked by the rate limiter (4096)
 * @param holderTtlMillis            life of an announce_peer record (30 min)
 * @param reannounceMillis           how often this node re-announces what it holds (15 min)
 * @param holdersPerKey              holder records per key (100)
 * @param holderKeys                 keys with holder records (10,000)
 * @param holdersPerIp               holder records per holder IP over all keys (50)
 * @param holdersReturned            holders returned in one get_peers answer (50)
 * @param manifestTtlMillis          life of a stored manifest (2 h)
 * @param republishMillis            how often this node republishes its manifests (1 h)
 * @param manifestsPerKey            publishers' manifests per key (16)
 * @param manifestKeys               keys with manifests (10,000)
 * @param cacheMinTtlMillis          shortest life of a record cached far from its key (1 min)
 * @param maintenanceMillis          period of bucket refresh and record expiry (1 min)
 */
public record DhtConfig(int k, int alpha, int replacementCacheSize, int maxFailures,
                        long questionableAfterMillis, long bucketRefreshMillis, boolean onePerIp,
                        long queryTimeoutMillis, long rttInitialMillis, long rttMinMillis, long rttMaxMillis,
                        int maxPendingQueries, long tokenRotationMillis,
                        int queriesPerSecond, int queryBurst, int rateLimitedSources,
                        long holderTtlMillis, long reannounceMillis, int holdersPerKey, int holderKeys,
                        int holdersPerIp, int holdersReturned,
                        long manifestTtlMillis, long republishMillis, int manifestsPerKey, int manifestKeys,
                        long cacheMinTtlMillis, long maintenanceMillis) {
    private static final long MINUTE_MILLIS = 60_000;

    /** Fails on values that would make the node misbehave, naming the field. */
    public DhtConfig {
        positive("k", k);
        positive("alpha", alpha);
        positive("maxFailures", maxFailures);
        positive("queryTimeoutMillis", queryTimeoutMillis);
        positive("maxPendingQueries", maxPendingQueries);
        positive("holderTtlMillis", holderTtlMillis);
        positive("reannounceMillis", reannounceMillis);
        positive("manifestTtlMillis", manifestTtlMillis);
        positive("republishMillis", republishMillis);
        positive("cacheMinTtlMillis", cacheMinTtlMillis);
        positive("maintenanceMillis", maintenanceMillis);
        positive("holdersReturned", holdersReturned);
        if (reannounceMillis >= holderTtlMillis) {
            throw new IllegalArgumentException("reannounceMillis " + reannounceMillis
                    + " must be shorter than holderTtlMillis " + holderTtlMillis);
        }
        if (republishMillis >= manifestTtlMillis) {
            throw new IllegalArgumentException("republishMillis " + republishMillis
                    + " must be shorter than manifestTtlMillis " + manifestTtlMillis);
        }
    }

    /** BEP 5 and Kademlia values for a node on the open internet. */
    public static DhtConfig defaults() {
        return new DhtConfig(8, 3, 8, 2, 15 * MINUTE_MILLIS, 15 * MINUTE_MILLIS, true,
                5_000, 1_000, 100, 3_000, 1024, 5 * MINUTE_MILLIS,
                20, 50, 4096,
                30 * MINUTE_MILLIS, 15 * MINUTE_MILLIS, 100, 10_000, 50, 50,
                120 * MINUTE_MILLIS, 60 * MINUTE_MILLIS, 16, 10_000,
                MINUTE_MILLIS, MINUTE_MILLIS);
    }

    /** This config with the one-contact-per-IP rule set to {@code on}. */
    public DhtConfig withOnePerIp(boolean on) {
        return new DhtConfig(k, alpha, replacementCacheSize, maxFailures, questionableAfterMillis,
                bucketRefreshMillis, on, queryTimeoutMillis, rttInitialMillis, rttMinMillis, rttMaxMillis,
                maxPendingQueries, tokenRotationMillis, queriesPerSecond, queryBurst, rateLimitedSources,
                holderTtlMillis, reannounceMillis, holdersPerKey, holderKeys, holdersPerIp, holdersReturned,
                manifestTtlMillis, republishMillis, manifestsPerKey, manifestKeys, cacheMinTtlMillis,
                maintenanceMillis);
    }

    RoutingConfig routing() {
        return new RoutingConfig(k, replacementCacheSize, maxFailures, questionableAfterMillis,
                bucketRefreshMillis, onePerIp);
    }

    LookupConfig lookup() {
        return new LookupConfig(k, alpha, 16 * k, 200, 32);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
