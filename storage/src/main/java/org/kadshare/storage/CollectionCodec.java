package org.kadshare.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.kadshare.bencode.BDictionary;
import org.kadshare.bencode.BList;
import org.kadshare.bencode.BString;
import org.kadshare.bencode.BValue;
import org.kadshare.bencode.Bencode;
import org.kadshare.bencode.BencodeException;
import org.kadshare.bencode.BencodeLimits;

/**
 * The wire form of a {@link Collection}, the bytes shared as the collection's content: one
 * bencoded dictionary, canonical (keys sorted, entries sorted by path), at most
 * {@link #MAX_ENCODED_BYTES}.
 *
 * <pre>
 *   d  list of strings        empty directories (UTF-8 paths)
 *   f  list of dictionaries   files: c string(32) content ID, l integer length,
 *                             m string media type, p string UTF-8 path
 *   v  integer                format version, 1
 * </pre>
 *
 * <p>Decoding is strict: unknown keys, a non-canonical encoding, or any entry the
 * {@link Collection} rules refuse fail with a {@link ManifestException} naming the problem.
 */
public final class CollectionCodec {
    /** The format version written in {@code v}. */
    public static final long VERSION = 1;
    /** Largest encoded collection, in bytes (about 2,000 bytes per entry at the entry limit). */
    public static final int MAX_ENCODED_BYTES = 20 << 20;

    private static final Set<String> KEYS = Set.of("d", "f", "v");
    private static final Set<String> ENTRY_KEYS = Set.of("c", "l", "m", "p");
    private static final BencodeLimits LIMITS = new BencodeLimits(MAX_ENCODED_BYTES, 3,
            10 * Collection.MAX_ENTRIES + 16, CollectionPath.MAX_BYTES);

    private CollectionCodec() {
    }

    /** The canonical encoding of {@code collection}. */
    public static byte[] encode(Collection collection) {
        List<BValue> files = new ArrayList<>();
        for (CollectionEntry e : collection.files()) {
            files.add(BDictionary.builder()
                    .put("c", e.id().toBytes())
                    .put("l", e.lengthBytes())
                    .putUtf8("m", e.mediaType())
                    .putUtf8("p", e.path())
                    .build());
        }
        List<BValue> dirs = collection.emptyDirectories().stream().<BValue>map(BString::utf8).toList();
        return Bencode.encode(BDictionary.builder()
                .put("d", new BList(dirs))
                .put("f", new BList(files))
                .put("v", VERSION)
                .build());
    }

    /**
     * Decodes a collection document.
     *
     * @throws ManifestException if the bytes are not a canonical version-1 collection whose every
     *     entry follows the rules
     */
    public static Collection decode(byte[] encoded) throws ManifestException {
        if (encoded.length > MAX_ENCODED_BYTES) {
            throw new ManifestException("collection document of " + encoded.length
                    + " bytes exceeds the limit of " + MAX_ENCODED_BYTES + " bytes");
        }
        Collection c;
        try {
            if (!(Bencode.decode(encoded, LIMITS) instanceof BDictionary d)) {
                throw new ManifestException("a collection document must be a dictionary");
            }
            onlyKeys(d, KEYS, "collection document");
            long version = d.requireInteger("v");
            if (version != VERSION) {
                throw new ManifestException("collection version " + version + " is not supported, only " + VERSION);
            }
            List<CollectionEntry> files = new ArrayList<>();
            for (BValue v : d.requireList("f").values()) {
                if (!(v instanceof BDictionary e)) {
                    throw new ManifestException("a collection file entry must be a dictionary");
                }
                onlyKeys(e, ENTRY_KEYS, "collection file entry");
                files.add(new CollectionEntry(e.requireUtf8("p"), e.requireInteger("l"), e.requireUtf8("m"),
                        ContentId.of(e.requireBytes("c", ContentId.LENGTH_BYTES))));
            }
            List<String> dirs = new ArrayList<>();
            for (BValue v : d.requireList("d").values()) {
                if (!(v instanceof BString s)) {
                    throw new ManifestException("a collection directory entry must be a string");
                }
                dirs.add(s.asUtf8());
            }
            c = new Collection(files, dirs);
        } catch (BencodeException | IllegalArgumentException e) {
            throw new ManifestException("invalid collection document: " + e.getMessage(), e);
        }
        if (!Arrays.equals(encode(c), encoded)) {
            throw new ManifestException("collection document encoding is not canonical");
        }
        return c;
    }

    private static void onlyKeys(BDictionary d, Set<String> allowed, String what) throws ManifestException {
        for (BString key : d.entries().keySet()) {
            if (!allowed.contains(new String(key.bytes(), StandardCharsets.ISO_8859_1))) {
                throw new ManifestException(what + " has the unknown key " + key);
            }
        }
    }
}
