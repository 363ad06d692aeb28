package org.kadshare.simulations.swarm;

import java.util.List;

/**
 * One swarm run: a file, its seeders, getters arriving over a window, and the network they share.
 * Rates are bytes per second of payload; latencies are one way.
 *
 * @param seed                   drives every random choice of the run
 * @param fileBytes              the file's length
 * @param seeders                holders of the whole file at the start
 * @param getters                nodes that arrive to download it
 * @param arrivalWindowMillis    getters arrive at random times in {@code [0, window)}
 * @param seederUploadBytesPerSecond  each seeder's upload capacity
 * @param getterUploadBytesPerSecond  each getter's upload capacity (it serves what it has)
 * @param getterDownloadBytesPerSecond each getter's download capacity
 * @param minLatencyMillis       a node's one-way latency to the swarm is drawn from
 *                               {@code [min, max]}; a pair's is the mean of the two
 * @param maxLatencyMillis       see {@code minLatencyMillis}
 * @param lossRate               chance that a span needs a TCP retransmission (one RTO later)
 * @param maxUploadsPerHolder    connections a holder accepts at once; more are refused as BUSY
 *                               (of those, the block server's upload slots are served at a time,
 *                               the others choked)
 * @param holdersPerLookup       holders a getter learns per lookup, drawn from those announced
 * @param lookupIntervalMillis   how often a getter still downloading looks up holders again
 * @param seederLeavesAtMillis   when the seeders leave, or -1 for never
 * @param getterStaysMillis      how long a getter keeps serving after it completed, or -1 for
 *                               the whole run
 * @param timeLimitMillis        the run stops here even if some getter is not done
 * @param holders                holders of the whole file beside the seeders, each with its own
 *                               capacity, latency, departure and fault
 */
public record SwarmConfig(long seed, int fileBytes, int seeders, int getters, long arrivalWindowMillis,
        long seederUploadBytesPerSecond, long getterUploadBytesPerSecond, long getterDownloadBytesPerSecond,
        long minLatencyMillis, long maxLatencyMillis, double lossRate, int maxUploadsPerHolder,
        int holdersPerLookup, long lookupIntervalMillis, long seederLeavesAtMillis, long getterStaysMillis,
        long timeLimitMillis, List<HolderSpec> holders) {

    public SwarmConfig {
        holders = List.copyOf(holders);
        check(fileBytes > 0, "fileBytes", fileBytes);
        check(seeders >= 0 && seeders <= 1_000 && seeders + holders.size() >= 1, "seeders", seeders);
        check(getters >= 1 && getters <= 100_000, "getters", getters);
        check(arrivalWindowMillis >= 1, "arrivalWindowMillis", arrivalWindowMillis);
        check(seederUploadBytesPerSecond > 0, "seederUploadBytesPerSecond", seederUploadBytesPerSecond);
        check(getterUploadBytesPerSecond > 0, "getterUploadBytesPerSecond", getterUploadBytesPerSecond);
        check(getterDownloadBytesPerSecond > 0, "getterDownloadBytesPerSecond", getterDownloadBytesPerSecond);
        check(minLatencyMillis >= 0 && maxLatencyMillis >= minLatencyMillis, "maxLatencyMillis", maxLatencyMillis);
        check(lossRate >= 0 && lossRate < 1, "lossRate", (long) (lossRate * 100));
        check(maxUploadsPerHolder >= 1, "maxUploadsPerHolder", maxUploadsPerHolder);
        check(holdersPerLookup >= 1, "holdersPerLookup", holdersPerLookup);
        check(lookupIntervalMillis >= 1, "lookupIntervalMillis", lookupIntervalMillis);
        check(timeLimitMillis >= 1, "timeLimitMillis", timeLimitMillis);
    }

    /**
     * A flash crowd: one seeder at 20 MiB/s, {@code getters} getters arriving within a minute,
     * each with 4 MiB/s up and 16 MiB/s down, 10 to 50 ms one way, 1% of spans retransmitted, 16
     * connections per holder, 20 holders per lookup every 5 s, a 16 MiB file, everyone staying.
     */
    public static SwarmConfig flashCrowd(long seed, int getters) {
        return new SwarmConfig(seed, 16 << 20, 1, getters, 60_000, 20L << 20, 4L << 20, 16L << 20, 10, 50, 0.01,
                16, 20, 5_000, -1, -1, 3_600_000, List.of());
    }

    /** The same run with another file length. */
    public SwarmConfig withFileBytes(int bytes) {
        return new SwarmConfig(seed, bytes, seeders, getters, arrivalWindowMillis, seederUploadBytesPerSecond,
                getterUploadBytesPerSecond, getterDownloadBytesPerSecond, minLatencyMillis, maxLatencyMillis, lossRate,
                maxUploadsPerHolder, holdersPerLookup, lookupIntervalMillis, seederLeavesAtMillis, getterStaysMillis,
                timeLimitMillis, holders);
    }

    /** The same run with holders that leave: the seeders at {@code seederLeavesAt}, getters {@code stays} after done. */
    public SwarmConfig withDepartures(long seederLeavesAt, long stays) {
        return new SwarmConfig(seed, fileBytes, seeders, getters, arrivalWindowMillis, seederUploadBytesPerSecond,
                getterUploadBytesPerSecond, getterDownloadBytesPerSecond, minLatencyMillis, maxLatencyMillis, lossRate,
                maxUploadsPerHolder, holdersPerLookup, lookupIntervalMillis, seederLeavesAt, stays, timeLimitMillis,
                holders);
    }

    /** The same run with {@code extra} holders beside the seeders. */
    public SwarmConfig withHolders(List<HolderSpec> extra) {
        return new SwarmConfig(seed, fileBytes, seeders, getters, arrivalWindowMillis, seederUploadBytesPerSecond,
                getterUploadBytesPerSecond, getterDownloadBytesPerSecond, minLatencyMillis, maxLatencyMillis, lossRate,
                maxUploadsPerHolder, holdersPerLookup, lookupIntervalMillis, seederLeavesAtMillis, getterStaysMillis,
                timeLimitMillis, extra);
    }

    /** The same run with {@code count} getters arriving within {@code windowMillis}. */
    public SwarmConfig withGetters(int count, long windowMillis) {
        return new SwarmConfig(seed, fileBytes, seeders, count, windowMillis, seederUploadBytesPerSecond,
                getterUploadBytesPerSecond, getterDownloadBytesPerSecond, minLatencyMillis, maxLatencyMillis, lossRate,
                maxUploadsPerHolder, holdersPerLookup, lookupIntervalMillis, seederLeavesAtMillis, getterStaysMillis,
                timeLimitMillis, holders);
    }

    private static void check(boolean ok, String name, long value) {
        if (!ok) {
            throw new IllegalArgumentException("swarm config: " + name + " = " + value + " is out of range");
        }
    }
}
