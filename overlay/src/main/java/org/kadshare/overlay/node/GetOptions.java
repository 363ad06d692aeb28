package org.kadshare.overlay.node;

import java.util.function.Consumer;

/**
 * How to fetch: overwrite an existing destination or not, an overall timeout (0 = none), and a
 * listener for phase changes and progress (called from a node thread; must not block).
 */
public record GetOptions(boolean overwrite, long timeoutMillis, Consumer<GetEvent> listener) {
}
