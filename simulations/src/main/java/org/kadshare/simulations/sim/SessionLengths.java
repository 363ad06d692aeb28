package org.kadshare.simulations.sim;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * How long a node stays in the network before it leaves: exponential (memoryless) or Weibull
 * (shape below 1 gives the many-short, few-very-long sessions measured on real DHTs), both
 * parameterized by their median.
 */
public final class SessionLengths {
    private static final double LN2 = StrictMath.log(2);

    private final double shape;
    private final double scaleMillis;
    private final double medianMillis;

    private SessionLengths(double shape, double medianMillis) {
        if (!(shape > 0.05 && shape <= 20)) {
            throw new IllegalArgumentException("Weibull shape must be within (0.05, 20]: " + shape);
        }
        if (!(medianMillis >= 1)) {
            throw new IllegalArgumentException("median session must be at least 1 ms: " + medianMillis);
        }
        this.shape = shape;
        this.medianMillis = medianMillis;
        this.scaleMillis = medianMillis / StrictMath.pow(LN2, 1.0 / shape);
    }

    /** Exponential session lengths with the given median. */
    public static SessionLengths exponential(double medianMillis) {
        return new SessionLengths(1.0, medianMillis);
    }

    /**
     * Exponential sessions in which a fraction {@code leavePerMinute} (such as 0.01) of the nodes
     * leaves each minute: mean session = 1 / rate minutes.
     */
    public static SessionLengths ofLeaveRate(double leavePerMinute) {
        if (!(leavePerMinute > 0 && leavePerMinute <= 1)) {
            throw new IllegalArgumentException("leave rate per minute must be within (0, 1]: " + leavePerMinute);
        }
        return exponential(LN2 / leavePerMinute * 60_000.0);
    }

    /** Weibull session lengths with the given shape and median. */
    public static SessionLengths weibull(double shape, double medianMillis) {
        return new SessionLengths(shape, medianMillis);
    }

    /** One session length in whole milliseconds, at least 1. */
    public long sampleMillis(RandomGenerator random) {
        double u = 1.0 - random.nextDouble();
        double x = scaleMillis * StrictMath.pow(-StrictMath.log(u), 1.0 / shape);
        return Math.max(1, (long) Math.min(x, 1e15));
    }

    /** The median session length. */
    public double medianMillis() {
        return medianMillis;
    }

    @Override
    public String toString() {
        return shape == 1.0
                ? String.format(Locale.ROOT, "exponential(median=%.1fs)", medianMillis / 1000)
                : String.format(Locale.ROOT, "weibull(shape=%.2f, median=%.1fs)", shape, medianMillis / 1000);
    }
}
