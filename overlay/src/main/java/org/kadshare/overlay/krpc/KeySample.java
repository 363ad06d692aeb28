package org.kadshare.overlay.krpc;

import java.util.List;
import org.kadshare.overlay.dht.NodeId;

/**
 * The BEP 51 part of a {@code sample_infohashes} answer.
 *
 * @param intervalSeconds how long the answering node keeps handing out the same sample
 *                        ("interval", 0..{@link #MAX_INTERVAL_SECONDS})
 * @param num             how many keys it stores in all ("num")
 * @param samples         the sampled keys ("samples", 20 bytes each, concatenated on the wire)
 */
public record KeySample(int intervalSeconds, int num, List<NodeId> samples) {
    /** BEP 51's largest interval: 6 hours. */
    public static final int MAX_INTERVAL_SECONDS = 21_600;

    /** Checks the ranges and copies the samples. */
    public KeySample {
        if (intervalSeconds < 0 || intervalSeconds > MAX_INTERVAL_SECONDS) {
            throw new IllegalArgumentException("interval must be 0.." + MAX_INTERVAL_SECONDS + " s, got "
                    + intervalSeconds);
        }
        if (num < 0) {
            throw new IllegalArgumentException("num must not be negative, got " + num);
        }
        samples = List.copyOf(Checks.present("samples", samples));
    }
}
