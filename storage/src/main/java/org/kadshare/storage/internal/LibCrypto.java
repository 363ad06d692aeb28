package org.kadshare.storage.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The four SHA-256 functions of the system's libcrypto (OpenSSL 1.1 and 3, LibreSSL and BoringSSL
 * all export them), bound through JNA's direct mapping once per process. Loaded on first use, not
 * before: a process that never hashes never loads JNA. {@link #available()} says whether the
 * library was found, bound and gave the right answers to a known-answer check against the JDK's
 * SHA-256; if not, {@link #problem()} says why, and nothing here may be called.
 *
 * <p>Only on 64-bit processes: the {@code size_t} lengths are passed as Java {@code long}.
 */
final class LibCrypto {
    /** Names tried in order: the versioned names first, since only a development package installs the bare one. */
    static final List<String> NAMES = List.of("libcrypto.so.3", "libcrypto.so.1.1", "crypto");
    /** Room for OpenSSL's {@code SHA256_CTX} (112 bytes), with some to spare for other builds. */
    static final int CONTEXT_BYTES = 256;

    private static final String PROBLEM = load();

    private LibCrypto() {
    }

    /** {@code SHA256_Init}: 1 on success. */
    static native int SHA256_Init(Pointer context);

    /** {@code SHA256_Update}: 1 on success. */
    static native int SHA256_Update(Pointer context, Pointer data, long length);

    /** {@code SHA256_Final}: writes 32 bytes to {@code digest}; 1 on success. */
    static native int SHA256_Final(Pointer digest, Pointer context);

    /** {@code SHA256}: one call for the whole input; returns {@code digest}. */
    static native Pointer SHA256(Pointer data, long length, Pointer digest);

    /** Whether the functions are bound and passed the check. */
    static boolean available() {
        return PROBLEM == null;
    }

    /** Why they are not available, or null if they are. */
    static String problem() {
        return PROBLEM;
    }

    private static String load() {
        try {
            if (Native.SIZE_T_SIZE != Long.BYTES) {
                return "this is not a 64-bit JVM";
            }
            List<String> failures = new ArrayList<>();
            for (String name : NAMES) {
                NativeLibrary library;
                try {
                    library = NativeLibrary.getInstance(name);
                } catch (UnsatisfiedLinkError e) {
                    failures.add(name + ": not found");
                    continue;
                }
                Native.register(LibCrypto.class, library);
                return knownAnswers();
            }
            return "no libcrypto (" + String.join("; ", failures) + ")";
        } catch (LinkageError | RuntimeException | NoSuchAlgorithmException e) {
            return "JNA could not bind libcrypto's SHA-256: " + e;
        }
    }

    /** Both entry points against the JDK's SHA-256, on a short input and on one longer than a block of updates. */
    private static String knownAnswers() throws NoSuchAlgorithmException {
        byte[] input = new byte[40_000];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) (i * 31 + (i >>> 8));
        }
        MessageDigest jdk = MessageDigest.getInstance("SHA-256");
        Memory memory = new Memory(input.length + CONTEXT_BYTES + 32L);
        memory.write(0, input, 0, input.length);
        Pointer context = memory.share(input.length);
        Pointer digest = memory.share(input.length + (long) CONTEXT_BYTES);
        SHA256(memory, 3, digest);
        if (!Arrays.equals(digest.getByteArray(0, 32), jdk.digest(Arrays.copyOf(input, 3)))) {
            return "libcrypto's SHA256 gave a wrong digest";
        }
        if (SHA256_Init(context) != 1 || SHA256_Update(context, memory, 20_000) != 1
                || SHA256_Update(context, memory.share(20_000), input.length - 20_000) != 1
                || SHA256_Final(digest, context) != 1) {
            return "libcrypto's SHA256_Init/Update/Final failed";
        }
        if (!Arrays.equals(digest.getByteArray(0, 32), jdk.digest(input))) {
            return "libcrypto's SHA256_Update gave a wrong digest";
        }
        return null;
    }
}
