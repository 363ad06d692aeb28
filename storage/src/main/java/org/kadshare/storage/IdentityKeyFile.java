package org.kadshare.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code identity.key} file: {@code "KSID" || version 0x01 || 32-byte seed || first 4 bytes of
 * SHA-256(magic || version || seed)}, 41 bytes.
 *
 * <p>Design note. The file is a secret, so it must never be readable by anyone but its owner, not
 * even for an instant: it is created under a temporary name with {@code rw-------} given at
 * creation (not set afterwards), written and synced, then renamed atomically into place. A corrupt
 * file is an error, never a reason to mint a new key: silently replacing an identity would orphan
 * every manifest the node has signed. On file systems without POSIX permissions the permission
 * steps are skipped.
 */
final class IdentityKeyFile {
    static final byte[] MAGIC = {'K', 'S', 'I', 'D'};
    static final byte VERSION = 1;
    static final int CHECKSUM_LENGTH_BYTES = 4;
    static final int LENGTH_BYTES = MAGIC.length + 1 + NodeIdentity.SEED_LENGTH_BYTES
            + CHECKSUM_LENGTH_BYTES;

    private static final Set<PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path path;

    IdentityKeyFile(Path path) {
        this.path = path;
    }

    boolean exists() {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    byte[] readSeed() throws IOException {
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("identity key file " + path + " is not a regular file");
        }
        if (isPosix(path)) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            if (perms.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
                throw new IOException("identity key file " + path + " is accessible to group or "
                        + "others (" + PosixFilePermissions.toString(perms)
                        + "); it must be rw------- (chmod 600)");
            }
        }
        long size = Files.size(path);
        if (size != LENGTH_BYTES) {
            throw new IOException("identity key file " + path + " is " + size + " bytes, expected "
                    + LENGTH_BYTES + (size < LENGTH_BYTES ? " (truncated)" : "")
                    + "; refusing to replace it, restore it from a backup or move it away");
        }
        byte[] content = Files.readAllBytes(path);
        if (content.length != LENGTH_BYTES) {
            throw new IOException("identity key file " + path + " changed size while read");
        }
        if (!Arrays.equals(content, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IOException("identity key file " + path + " does not start with the magic "
                    + "\"KSID\"; it is not a kadshare key file");
        }
        if (content[MAGIC.length] != VERSION) {
            throw new IOException("identity key file " + path + " has version "
                    + (content[MAGIC.length] & 0xff) + ", only version " + VERSION + " is known");
        }
        int bodyLength = LENGTH_BYTES - CHECKSUM_LENGTH_BYTES;
        byte[] expected = checksum(Arrays.copyOf(content, bodyLength));
        if (!Arrays.equals(content, bodyLength, LENGTH_BYTES, expected, 0, CHECKSUM_LENGTH_BYTES)) {
            throw new IOException("identity key file " + path + " fails its checksum (corrupt); "
                    + "refusing to replace it, restore it from a backup or move it away");
        }
        return Arrays.copyOfRange(content, MAGIC.length + 1, bodyLength);
    }

    void create(byte[] seed) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve(path.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        ByteBuffer content = ByteBuffer.wrap(encode(seed));
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        FileAttribute<?>[] attributes = isPosix(dir)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        try (SeekableByteChannel ch = Files.newByteChannel(temp, options, attributes)) {
            while (content.hasRemaining()) {
                ch.write(content);
            }
        }
        try {
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            Files.deleteIfExists(temp);
            throw new IOException("cannot move the new identity key into place at " + path, e);
        }
    }

    static byte[] encode(byte[] seed) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH_BYTES);
        b.put(MAGIC).put(VERSION).put(seed);
        byte[] body = Arrays.copyOf(b.array(), b.position());
        b.put(checksum(body), 0, CHECKSUM_LENGTH_BYTES);
        return b.array();
    }

    private static byte[] checksum(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static boolean isPosix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
