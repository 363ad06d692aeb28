package org.kadshare.overlay.transfer.download;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import org.kadshare.overlay.transfer.wire.Handshake;

/** Opens {@link PeerLink}s: connects and handshakes, or fails with the reason. */
interface PeerConnector extends AutoCloseable {
    /**
     * Connects to {@code holder}, sends {@code ours} and completes with the link once the holder's
     * handshake is in; events go to {@code events} from then on. {@code clock} is the download's
     * (nanoseconds), for the link's handshake round-trip time.
     */
    CompletableFuture<PeerLink> connect(InetSocketAddress holder, Handshake ours, PeerEvents events,
            LongSupplier clock);

    /**
     * The one thread the download runs on, which is also where this connector's events start
     * (for the real one, its Netty event loop): closing the connector ends it.
     */
    ScheduledExecutorService loop();

    @Override
    void close();
}
