package org.kadshare.overlay.dht;

/**
 * Limits and times of a {@link RoutingTable}.
 *
 * @param k                       contacts per bucket (BEP 5: 8)
 * @param replacementCacheSize    contacts remembered per bucket to fill slots that fall free
 * @param maxFailures             consecutive unanswered queries after which a contact is bad
 * @param questionableAfterMillis inactivity after which a good contact becomes questionable
 * @param refreshIntervalMillis   a bucket unchanged this long needs a refresh lookup
 * @param onePerIp                at most one contact per IP address (off for loopback tests)
 * @param diversity               contacts of one subnet a bucket holds at most
 */
record RoutingConfig(int k, int replacementCacheSize, int maxFailures, long questionableAfterMillis,
                     long refreshIntervalMillis, boolean onePerIp, AddressDiversity diversity) {
    static final long FIFTEEN_MINUTES_MILLIS = 15 * 60_000L;

    RoutingConfig {
        if (k < 1 || replacementCacheSize < 0 || maxFailures < 1
                || questionableAfterMillis <= 0 || refreshIntervalMillis <= 0) {
            throw new IllegalArgumentException("bad routing config: k=" + k + " replacements="
                    + replacementCacheSize + " maxFailures=" + maxFailures + " questionableAfterMillis="
                    + questionableAfterMillis + " refreshIntervalMillis=" + refreshIntervalMillis);
        }
        java.util.Objects.requireNonNull(diversity, "diversity");
    }

    /** The default diversity limit. */
    RoutingConfig(int k, int replacementCacheSize, int maxFailures, long questionableAfterMillis,
                  long refreshIntervalMillis, boolean onePerIp) {
        this(k, replacementCacheSize, maxFailures, questionableAfterMillis, refreshIntervalMillis, onePerIp,
                AddressDiversity.defaults());
    }

    /** BEP 5 values: k = 8, 15 minutes, a contact is bad after 2 failed queries in a row. */
    static RoutingConfig defaults() {
        return new RoutingConfig(8, 8, 2, FIFTEEN_MINUTES_MILLIS, FIFTEEN_MINUTES_MILLIS, true,
                AddressDiversity.defaults());
    }
}
