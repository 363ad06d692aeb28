package org.kadshare.simulations.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Decides the fate of every simulated datagram: dropped (random loss, an open partition) or
 * delivered after the pair's one-way latency plus jitter.
 *
 * <p>Jitter is drawn per datagram from an exponential distribution with mean
 * {@code jitterMeanMillis}; two datagrams sent back to back on the same path can therefore
 * arrive in the other order, which is how reordering appears. Loss is an independent coin per
 * datagram. Every draw comes from the network's own generator, split from the run's seed.
 */
public final class NetworkModel {
    /** Default mean of the per-datagram jitter. */
    public static final double DEFAULT_JITTER_MEAN_MILLIS = 5.0;

    private final LatencyModel latency = new LatencyModel();
    private final RandomGenerator random;
    private final List<Partition> openPartitions = new ArrayList<>();
    private double lossRate;
    private double jitterMeanMillis = DEFAULT_JITTER_MEAN_MILLIS;

    NetworkModel(RandomGenerator random) {
        this.random = random;
    }

    /** Sets the probability (0 to 1) that any datagram is lost. */
    public void setLossRate(double lossRate) {
        if (!(lossRate >= 0 && lossRate <= 1)) {
            throw new IllegalArgumentException("loss rate must be within [0, 1]: " + lossRate);
        }
        this.lossRate = lossRate;
    }

    /** The probability that any datagram is lost. */
    public double lossRate() {
        return lossRate;
    }

    /** Sets the mean of the exponential per-datagram jitter (0 turns jitter off). */
    public void setJitterMeanMillis(double jitterMeanMillis) {
        if (!(jitterMeanMillis >= 0 && jitterMeanMillis <= 10_000)) {
            throw new IllegalArgumentException("jitter mean must be within [0, 10000] ms: " + jitterMeanMillis);
        }
        this.jitterMeanMillis = jitterMeanMillis;
    }

    /** Opens {@code partition}: from now until {@link #heal}, it blocks datagrams across it. */
    public void open(Partition partition) {
        if (openPartitions.contains(partition)) {
            throw new IllegalStateException("partition " + partition.name() + " is already open");
        }
        openPartitions.add(partition);
    }

    /** Heals an open partition. */
    public void heal(Partition partition) {
        if (!openPartitions.remove(partition)) {
            throw new IllegalStateException("partition " + partition.name() + " is not open");
        }
    }

    /** Whether any open partition separates slots {@code a} and {@code b}. */
    public boolean blocked(int a, int b) {
        for (Partition p : openPartitions) {
            if (p.separates(a, b)) {
                return true;
            }
        }
        return false;
    }

    /** The latency space; the simulation places each new slot in it. */
    LatencyModel latency() {
        return latency;
    }

    /** The one-way latency of the path, without jitter. */
    public long baseLatencyMillis(int from, int to) {
        return latency.oneWayMillis(from, to);
    }

    /** Delay of one datagram from {@code from} to {@code to}, or -1 if it is lost. */
    long transitMillis(int from, int to, TrafficCounters counters) {
        if (blocked(from, to)) {
            counters.droppedPartition++;
            return -1;
        }
        if (lossRate > 0 && random.nextDouble() < lossRate) {
            counters.droppedLoss++;
            return -1;
        }
        long delay = latency.oneWayMillis(from, to);
        if (jitterMeanMillis > 0) {
            delay += Math.round(-jitterMeanMillis * StrictMath.log(1.0 - random.nextDouble()));
        }
        return delay;
    }
}
