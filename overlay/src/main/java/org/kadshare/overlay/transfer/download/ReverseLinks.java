package org.kadshare.overlay.transfer.download;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kadshare.storage.ContentId;

/**
 * Where a download gets the connection of a holder that cannot be reached: not by connecting to
 * it, but by asking it (through its relay in the DHT) to connect to this node, whose block server
 * hands the connection over. The node that runs the download knows which holders are relayed.
 */
@FunctionalInterface
public interface ReverseLinks {
    /** No holder is relayed: every one is connected to. */
    ReverseLinks NONE = (content, holder, timeoutMillis) -> Optional.empty();

    /**
     * Empty when {@code holder} of {@code content} is connected to as usual; otherwise the
     * reverse connection it opens, registered nowhere (the caller registers it on its loop),
     * within {@code timeoutMillis}, or the failure saying why it did not come.
     */
    Optional<CompletableFuture<Channel>> open(ContentId content, InetSocketAddress holder, long timeoutMillis);
}
