package org.kadshare.simulations.sim;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * One-way latency between simulated nodes from their places in a 2-D latency space.
 *
 * <p>Design note: each node is put at a uniformly random point of a square whose side is
 * {@value #SIDE_MILLIS} ms; the one-way latency between two nodes is {@value #BASE_MILLIS} ms plus
 * their Euclidean distance. The median distance between two uniform points of a unit square is
 * about 0.512, so the median one-way latency is about 50 ms and the largest about 135 ms. A
 * coordinate space (as Vivaldi and the King measurements suggest) keeps the triangle inequality
 * that real paths roughly obey, is the same for a pair in both directions, and costs two floats
 * per node instead of a matrix. A restarted node keeps its place; a fresh node gets a new one.
 */
final class LatencyModel {
    /** Fixed part of every one-way latency. */
    public static final int BASE_MILLIS = 2;
    /** Side of the square in which nodes are placed. */
    public static final int SIDE_MILLIS = 94;

    private float[] x = new float[64];
    private float[] y = new float[64];
    private int placed;

    /** Places node slot {@code index} (the next unplaced one) at a random point. */
    public void place(int index, RandomGenerator random) {
        if (index != placed) {
            throw new IllegalStateException("slots are placed in order: expected " + placed + ", got " + index);
        }
        if (index == x.length) {
            x = Arrays.copyOf(x, x.length * 2);
            y = Arrays.copyOf(y, y.length * 2);
        }
        x[index] = (float) (random.nextDouble() * SIDE_MILLIS);
        y[index] = (float) (random.nextDouble() * SIDE_MILLIS);
        placed++;
    }

    /** The one-way latency between two placed slots; a node to itself takes 1 ms. */
    public long oneWayMillis(int from, int to) {
        if (from >= placed || to >= placed) {
            throw new IllegalArgumentException("slot " + Math.max(from, to) + " was never placed");
        }
        if (from == to) {
            return 1;
        }
        double dx = x[from] - x[to];
        double dy = y[from] - y[to];
        return BASE_MILLIS + Math.round(StrictMath.sqrt(dx * dx + dy * dy));
    }
}
