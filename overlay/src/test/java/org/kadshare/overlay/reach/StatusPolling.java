package org.kadshare.overlay.reach;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Predicate;

/** Reads a monitor's status every 100 ms until it shows what a test waits for, for 30 s at most. */
final class StatusPolling {
    private StatusPolling() {
    }

    /** The first status (given the peers see {@code seen}) that {@code done} accepts, or the last one read. */
    static Reachability until(ReachabilityMonitor m, Optional<InetSocketAddress> seen, Predicate<Reachability> done)
            throws InterruptedException {
        Reachability r = m.status(seen);
        for (int i = 0; i < 300 && !done.test(r); i++) {
            Thread.sleep(100);
            r = m.status(seen);
        }
        return r;
    }
}
