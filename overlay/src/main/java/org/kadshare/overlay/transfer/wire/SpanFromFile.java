package org.kadshare.overlay.transfer.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.kadshare.storage.SpanProof;

/**
 * A SPAN frame to be sent straight from a file: {@link FrameEncoder} writes the same bytes as for a
 * {@link Span} with this proof, taking the data from bytes {@code [proof.offsetBytes(),
 * proof.offsetBytes() + proof.spanLengthBytes())} of {@code file} as a file region (the kernel copies
 * them to the socket; they never enter the heap). Outbound only: a peer receives an ordinary
 * {@link Span}. The sender vouches for the bytes (see {@code BlockStore.serveSpan}); the receiver
 * verifies them as it verifies every span.
 *
 * @param requestId the request answered
 * @param proof the span's proof
 * @param file the file holding the span's bytes at the proof's offset
 */
public record SpanFromFile(int requestId, SpanProof proof, Path file) {
    /** Validates the fields. */
    public SpanFromFile {
        RequestIds.check(requestId);
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(file, "file");
        if (proof.spanLengthBytes() > Limits.MAX_SPAN_BYTES) {
            throw new IllegalArgumentException("span (" + proof.height() + ", " + proof.index() + ") is "
                    + proof.spanLengthBytes() + " bytes, more than the limit of " + Limits.MAX_SPAN_BYTES);
        }
    }

    /** The frame's bytes before the data: length prefix, type, request ID and proof. */
    public byte[] head() {
        return FrameCodec.encodeSpanHead(requestId, proof);
    }

    /**
     * The same SPAN encoded whole in one buffer from {@code alloc} (direct where the allocator
     * prefers it), its data read from the file, for a transport that cannot send a file region
     * (TLS encrypts every byte). A direct buffer goes to a native TLS engine without a further
     * copy. Blocks on the read: call it off the event loop. The caller owns the result.
     *
     * @throws IOException if the file cannot be read or ends before the span does
     */
    public SpanInBuffer readInto(ByteBufAllocator alloc) throws IOException {
        byte[] head = head();
        int length = Math.toIntExact(proof.spanLengthBytes());
        ByteBuf frame = alloc.ioBuffer(head.length + length);
        try {
            frame.writeBytes(head);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long position = proof.offsetBytes();
                while (frame.writerIndex() < head.length + length) {
                    int n = frame.writeBytes(channel, position, head.length + length - frame.writerIndex());
                    if (n < 0) {
                        throw new EOFException(file + " ends before span (" + proof.height() + ", " + proof.index()
                                + ")");
                    }
                    position += n;
                }
            }
            return new SpanInBuffer(frame, proof);
        } catch (IOException | RuntimeException e) {
            frame.release();
            throw e;
        }
    }
}
