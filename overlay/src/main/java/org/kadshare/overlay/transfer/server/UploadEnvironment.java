package org.kadshare.overlay.transfer.server;

import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.Frame;
import org.kadshare.storage.ContentId;

/**
 * Everything an {@link UploadCore} may ask of the world: the time, what the node holds, sending
 * frames on its connection, reading replies off its thread, and closing. The block server's Netty
 * handler is the production one ({@code ServerConnection}); the swarm simulator has its own. Every
 * call comes from the core's one thread (the server's event loop), and every outcome comes back
 * as an event of the core on that thread, never from inside the call. Public for drivers outside
 * this package (the swarm simulator).
 */
public interface UploadEnvironment {
    /** Monotonic time in nanoseconds, always positive; only differences are meaningful. */
    long nowNanos();

    /** What this node answers a HANDSHAKE for {@code id} with (quick: no disk read beyond a lookup). */
    UploadCore.Offer offer(ContentId id);

    /** Sends {@code frame} on the connection (a handshake, a refusal, CHOKE, UNCHOKE, HAVE). */
    void send(Frame frame);

    /**
     * Reads the reply to {@code request} off the core's thread: the outcome is
     * {@link UploadCore#replyRead} with a {@code Span}, a {@code SpanFromFile} (bytes that go from
     * the file to the socket; the store trusts them), a {@code SpanInBuffer} (the same read into a
     * pooled buffer, for an encrypted connection), {@code Hashes} or a request {@code ErrorFrame}.
     */
    void read(PendingRequest request);

    /**
     * Writes {@code reply} (as {@link #read} produced it) on the connection; once it is handed to
     * the socket or the write failed, {@link UploadCore#replyDrained} follows.
     */
    void sendReply(Object reply);

    /**
     * Lets go of a reply {@link #read} produced that will not be sent (its request was cancelled
     * or the connection ended meanwhile): a reply holding a buffer releases it.
     */
    void discardReply(Object reply);

    /** The peer complained that a span failed verification: trust no leaf without hashing it again. */
    void distrust();

    /** A session for {@code id} ({@code lengthBytes} long) began: the HANDSHAKE was accepted. */
    void sessionBegan(ContentId id, long lengthBytes);

    /**
     * Sends a connection ERROR with {@code code} and closes; with {@code drainFirst} the close
     * waits for the error to be written, otherwise it follows at once (a peer that reads nothing
     * must not keep the connection). Then {@link UploadCore#closed} follows.
     */
    void close(ErrorCode code, String reason, boolean drainFirst);
}
