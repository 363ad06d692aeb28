package org.kadshare.storage.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where the hashing pipeline gets the bytes of one chunk: a file read with positional reads, or a
 * slice of a buffer already in memory. Safe to call from several threads at once. Not API.
 */
public interface ChunkSource {

    /**
     * Returns a buffer whose remaining bytes are exactly bytes {@code [offset, offset + length)}
     * of the content. A source that reads may fill and return {@code scratch}, which holds at
     * least {@code length} bytes when {@link #needsScratch()}.
     */
    ByteBuffer read(long offset, int length, ByteBuffer scratch) throws IOException;

    /** Whether {@link #read} needs a scratch buffer. */
    boolean needsScratch();

    /** Positional reads from an open channel; the channel's own position is never touched. */
    static ChunkSource of(FileChannel channel) {
        return new ChunkSource() {
            @Override
            public ByteBuffer read(long offset, int length, ByteBuffer scratch) throws IOException {
                scratch.clear().limit(length);
                while (scratch.hasRemaining()) {
                    int read = channel.read(scratch, offset + scratch.position());
                    if (read < 0) {
                        throw new EOFException("the file ended at byte " + (offset + scratch.position())
                                + " while hashing bytes up to " + (offset + length)
                                + ": it shrank while being hashed");
                    }
                }
                return scratch.flip();
            }

            @Override
            public boolean needsScratch() {
                return true;
            }
        };
    }

    /** Slices of the remaining bytes of {@code data} (a private view; its position is left alone). */
    static ChunkSource of(ByteBuffer data) {
        ByteBuffer view = data.slice();
        return new ChunkSource() {
            @Override
            public ByteBuffer read(long offset, int length, ByteBuffer scratch) {
                return view.slice(Math.toIntExact(offset), length);
            }

            @Override
            public boolean needsScratch() {
                return false;
            }
        };
    }
}
