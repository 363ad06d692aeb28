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
 * @param holderRecords              holder records in total, the memory bound (100,000, ~25 MB)
 * @param holdersPerKeyPerIp         holder records of one IP under one key (8)
 * @param holdersReturned            holders returned in one get_peers answer (50)
 * @param manifestTtlMillis          life of a stored manifest (2 h)
 * @param republishMillis            how often this node republishes its manifests (1 h)
 * @param manifestsPerKey            publishers' manifests per key (16)
 * @param manifestsPerKeyPerIp       manifests stored from one IP under one key (4)
 * @param manifestRecords            manifests in total, the memory bound (20,000, ~20 MB)
 * @param cacheMinTtlMillis          shortest life of a record cached far from its key (1 min)
 * @param maintenanceMillis          period of bucket refresh and record expiry (1 min)
 * @param diversity                  contacts of one /24 or /16 (IPv6 /64, /48) trusted together in
 *                                   a bucket, a lookup's result and a record's storing nodes (2;
 *                                   loopback and private ranges exempt)
 * @param lookupPaths                disjoint paths of each lookup (S/Kademlia) (2)
 */
public record DhtConfig(int k, int alpha, int replacementCacheSize, int maxFailures,
                        long questionableAfterMillis, long bucketRefreshMillis, boolean onePerIp,
                        long queryTimeoutMillis, long rttInitialMillis, long rttMinMillis, long rttMaxMillis,
                        int maxPendingQueries, long tokenRotationMillis,
                        int queriesPerSecond, int queryBurst, int rateLimitedSources,
                        long holderTtlMillis, long reannounceMillis, int holdersPerKey, int holderRecords,
                        int holdersPerKeyPerIp, int holdersReturned,
                        long manifestTtlMillis, long republishMillis, int manifestsPerKey,
                        int manifestsPerKeyPerIp, int manifestRecords,
                        long cacheMinTtlMillis, long maintenanceMillis, AddressDiversity diversity,
                        int lookupPaths) {
    private static final long MINUTE_MILLIS = 60_000;
    /** Disjoint paths of a lookup by default. */
    public static final int DEFAULT_LOOKUP_PATHS = 2;

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
        positive("holdersPerKey", holdersPerKey);
        positive("holderRecords", holderRecords);
        positive("holdersPerKeyPerIp", holdersPerKeyPerIp);
        positive("manifestsPerKey", manifestsPerKey);
        positive("manifestsPerKeyPerIp", manifestsPerKeyPerIp);
        positive("manifestRecords", manifestRecords);
        positive("lookupPaths", lookupPaths);
        java.util.Objects.requireNonNull(diversity, "diversity");
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
                30 * MINUTE_MILLIS, 15 * MINUTE_MILLIS, 100, 100_000, 8, 50,
                120 * MINUTE_MILLIS, 60 * MINUTE_MILLIS, 16, 4, 20_000,
                MINUTE_MILLIS, MINUTE_MILLIS, AddressDiversity.defaults(), DEFAULT_LOOKUP_PATHS);
    }

    /** This config with the one-contact-per-IP rule set to {@code on}. */
    public DhtConfig withOnePerIp(boolean on) {
        return new DhtConfig(k, alpha, replacementCacheSize, maxFailures, questionableAfterMillis,
                bucketRefreshMillis, on, queryTimeoutMillis, rttInitialMillis, rttMinMillis, rttMaxMillis,
                maxPendingQueries, tokenRotationMillis, queriesPerSecond, queryBurst, rateLimitedSources,
                holderTtlMillis, reannounceMillis, holdersPerKey, holderRecords, holdersPerKeyPerIp, holdersReturned,
                manifestTtlMillis, republishMillis, manifestsPerKey, manifestsPerKeyPerIp, manifestRecords,
                cacheMinTtlMillis,
                maintenanceMillis, diversity, lookupPaths);
    }

    /** This config with the given record lives and renewal periods (tests shrink or stretch them). */
    public DhtConfig withRecordTimes(long holderTtl, long reannounce, long manifestTtl, long republish) {
        return new DhtConfig(k, alpha, replacementCacheSize, maxFailures, questionableAfterMillis,
                bucketRefreshMillis, onePerIp, queryTimeoutMillis, rttInitialMillis, rttMinMillis, rttMaxMillis,
                maxPendingQueries, tokenRotationMillis, queriesPerSecond, queryBurst, rateLimitedSources,
                holderTtl, reannounce, holdersPerKey, holderRecords, holdersPerKeyPerIp, holdersReturned,
                manifestTtl, republish, manifestsPerKey, manifestsPerKeyPerIp, manifestRecords,
                cacheMinTtlMillis, maintenanceMillis, diversity, lookupPaths);
    }

    /** This config with another subnet diversity limit. */
    public DhtConfig withDiversity(AddressDiversity limit) {
        return withLookupDefenses(limit, lookupPaths);
    }

    /** This config with {@code paths} disjoint paths per lookup (1: a plain Kademlia lookup). */
    public DhtConfig withLookupPaths(int paths) {
        return withLookupDefenses(diversity, paths);
    }

    private DhtConfig withLookupDefenses(AddressDiversity limit, int paths) {
        return new DhtConfig(k, alpha, replacementCacheSize, maxFailures, questionableAfterMillis,
                bucketRefreshMillis, onePerIp, queryTimeoutMillis, rttInitialMillis, rttMinMillis, rttMaxMillis,
                maxPendingQueries, tokenRotationMillis, queriesPerSecond, queryBurst, rateLimitedSources,
                holderTtlMillis, reannounceMillis, holdersPerKey, holderRecords, holdersPerKeyPerIp, holdersReturned,
                manifestTtlMillis, republishMillis, manifestsPerKey, manifestsPerKeyPerIp, manifestRecords,
                cacheMinTtlMillis, maintenanceMillis, limit, paths);
    }

    RoutingConfig routing() {
        return new RoutingConfig(k, replacementCacheSize, maxFailures, questionableAfterMillis,
                bucketRefreshMillis, onePerIp, diversity);
    }

    LookupConfig lookup() {
        return new LookupConfig(k, alpha, 16 * k, 200, 32, diversity, lookupPaths, 2 * k);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
