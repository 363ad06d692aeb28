package org.kadshare.cli;

import sun.misc.Signal;

/**
 * Turns SIGINT and SIGTERM into a call, so a foreground node or a download stops in order (and
 * exits with its own code) instead of the JVM running shutdown hooks at an arbitrary point.
 */
final class Signals {
    private Signals() {
    }

    static void onInterruptOrTerminate(Runnable action) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> action.run());
            } catch (IllegalArgumentException e) {
                // The signal is not available on this platform (or reserved by the JVM): the
                // default handling (exit, with shutdown hooks) stays.
            }
        }
    }
}
