package org.kadshare.storage.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;

/**
 * A SHA-256 {@link MessageDigest} whose compression runs in the system's libcrypto
 * ({@link LibCrypto}), for a JVM on the quick compiler alone: the JDK's own SHA-256 is fast only
 * in code the optimising compiler made (an intrinsic), and a node that runs without that compiler
 * (the launcher's choice: it spends less CPU compiling than it saves) would hash at about a tenth
 * of the speed. docs/BENCHMARKS.md, "The quick compiler alone, with libcrypto's SHA-256".
 *
 * <p>Input is gathered in native memory of its own ({@link #SCRATCH_BYTES}), so a tree's leaf
 * with its prefix byte (16,385 bytes) is one copy and one native call, whatever kind of buffer it
 * came in (heap, read-only, direct); longer input goes through {@code SHA256_Update} a scratch at
 * a time. {@link MessageDigest} checks the callers' offsets and lengths before they reach here.
 * Not thread-safe, like every {@code MessageDigest}; not cloneable. The native memory is
 * freed when the digest is collected.
 */
final class NativeSha256 extends MessageDigest {
    /** Input gathered before a native call: a leaf and its prefix fit. */
    static final int SCRATCH_BYTES = 32 * 1024;
    private static final int DIGEST_BYTES = 32;

    private final Memory memory = new Memory(SCRATCH_BYTES + LibCrypto.CONTEXT_BYTES + DIGEST_BYTES);
    private final ByteBuffer scratch = memory.getByteBuffer(0, SCRATCH_BYTES);
    private final Pointer context = memory.share(SCRATCH_BYTES);
    private final Pointer digest = memory.share(SCRATCH_BYTES + LibCrypto.CONTEXT_BYTES);
    /** Whether the context holds input already (it was initialised and a full scratch went into it). */
    private boolean streaming;

    /** A fresh digest; only when {@link LibCrypto#available()}. */
    NativeSha256() {
        super("SHA-256");
        if (!LibCrypto.available()) {
            throw new IllegalStateException("libcrypto's SHA-256 is not available: " + LibCrypto.problem());
        }
    }

    @Override
    protected int engineGetDigestLength() {
        return DIGEST_BYTES;
    }

    @Override
    protected void engineUpdate(byte input) {
        if (!scratch.hasRemaining()) {
            flush();
        }
        scratch.put(input);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int length) {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (!scratch.hasRemaining()) {
                flush();
            }
            int n = Math.min(end - at, scratch.remaining());
            scratch.put(input, at, n);
            at += n;
        }
    }

    @Override
    protected void engineUpdate(ByteBuffer input) {
        while (input.hasRemaining()) {
            if (!scratch.hasRemaining()) {
                flush();
            }
            int n = Math.min(input.remaining(), scratch.remaining());
            int limit = input.limit();
            input.limit(input.position() + n);
            scratch.put(input);
            input.limit(limit);
        }
    }

    @Override
    protected byte[] engineDigest() {
        byte[] out = new byte[DIGEST_BYTES];
        finish(out, 0);
        return out;
    }

    @Override
    protected int engineDigest(byte[] out, int offset, int length) throws DigestException {
        if (length < DIGEST_BYTES) {
            throw new DigestException("SHA-256 needs 32 bytes of output, got " + length);
        }
        finish(out, offset);
        return DIGEST_BYTES;
    }

    @Override
    protected void engineReset() {
        scratch.clear();
        streaming = false;
    }

    private void flush() {
        if (!streaming) {
            check(LibCrypto.SHA256_Init(context), "SHA256_Init");
            streaming = true;
        }
        check(LibCrypto.SHA256_Update(context, memory, scratch.position()), "SHA256_Update");
        scratch.clear();
    }

    private void finish(byte[] out, int offset) {
        if (streaming) {
            if (scratch.position() > 0) {
                flush();
            }
            check(LibCrypto.SHA256_Final(digest, context), "SHA256_Final");
        } else {
            LibCrypto.SHA256(memory, scratch.position(), digest);
        }
        digest.read(0, out, offset, DIGEST_BYTES);
        engineReset();
    }

    private static void check(int result, String function) {
        if (result != 1) {
            throw new IllegalStateException("libcrypto's " + function + " failed");
        }
    }
}
