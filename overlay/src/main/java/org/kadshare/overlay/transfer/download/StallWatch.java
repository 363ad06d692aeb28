package org.kadshare.overlay.transfer.download;

import java.util.List;
import org.kadshare.overlay.transfer.schedule.SpanRequest;

/**
 * When a connected holder has stalled for too long. The schedule finds the spans that are late
 * ({@code DownloadSchedule#findStalls}) and says whether a holder is stalled now; this keeps, per
 * holder, since when it has been stalled without a break, and says when that is longer than the
 * stalled-holder timeout, at which point the core drops it. A span delivered, or a tick at which
 * the schedule no longer counts the holder as stalled, restarts its clock. Time is an argument.
 */
final class StallWatch {
    private final long timeoutMillis;

    StallWatch(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Spans {@code late} were found stalled at {@code nowNanos}: their holders' clocks start, unless running. */
    void found(List<SpanRequest> late, HolderSet holders, long nowNanos) {
        for (SpanRequest r : late) {
            Holder h = holders.get(r.peer());
            if (h.stalledSinceNanos < 0) {
                h.stalledSinceNanos = nowNanos;
            }
        }
    }

    /** {@code h} delivered a span: it is not stalled. */
    void delivered(Holder h) {
        h.stalledSinceNanos = -1;
    }

    /**
     * Why {@code h} is to be dropped at {@code nowNanos}, or null: {@code stalled} is whether the
     * schedule counts it as stalled now; if not, its clock stops.
     */
    String check(Holder h, boolean stalled, long nowNanos) {
        if (!stalled) {
            h.stalledSinceNanos = -1;
            return null;
        }
        if (h.stalledSinceNanos >= 0 && nowNanos - h.stalledSinceNanos > timeoutMillis * 1_000_000L) {
            return "stalled for more than " + timeoutMillis + " ms";
        }
        return null;
    }
}
