package org.kadshare.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.kadshare.bencode.BDictionary;
import org.kadshare.bencode.Bencode;
import org.kadshare.bencode.BencodeException;
import org.kadshare.bencode.BencodeLimits;

/**
 * The wire form of a {@link KeywordRecord}: one bencoded dictionary. Decoding is strict and
 * verifies both signatures, so a record that decodes is canonical and signed by its publisher.
 *
 * <pre>
 *   k  string      the normalised word (UTF-8)
 *   m  dictionary  the signed manifest ({@link ManifestCodec})
 *   s  string(64)  Ed25519 signature by the manifest's publisher key
 *   v  integer     format version, 1
 * </pre>
 *
 * <p>Signing input: {@code "kadshare-keyword-v1" || 0x00 || bencode(dictionary without "s")}.
 */
public final class KeywordRecordCodec {
    /** The format version written in {@code v}. */
    public static final long VERSION = 1;
    /**
     * Upper bound on an encoded record, in bytes: the largest manifest, a 40-code-point word of
     * 4-byte characters and the signature take under 900.
     */
    public static final int MAX_ENCODED_BYTES = 900;

    private static final byte[] DOMAIN = "kadshare-keyword-v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final Set<String> KEYS = Set.of("k", "m", "s", "v");
    private static final BencodeLimits LIMITS =
            new BencodeLimits(MAX_ENCODED_BYTES, 2, 64, Manifest.MAX_NAME_BYTES);

    private KeywordRecordCodec() {
    }

    /** The canonical encoding of {@code record}. */
    public static byte[] encode(KeywordRecord record) {
        return Bencode.encode(unsigned(record).put("s", record.signatureUnshared()).build());
    }

    /**
     * Decodes and verifies a keyword record.
     *
     * @throws ManifestException if the bytes are not a canonical version-1 record with a valid
     *     word and manifest, or a signature does not verify
     */
    public static KeywordRecord decode(byte[] encoded) throws ManifestException {
        BDictionary d = SignedForms.dictionary(encoded, MAX_ENCODED_BYTES, LIMITS, KEYS, "keyword record");
        KeywordRecord record;
        try {
            long version = d.requireInteger("v");
            if (version != VERSION) {
                throw new ManifestException("keyword record version " + version + " is not supported, only "
                        + VERSION);
            }
            record = new KeywordRecord(d.requireUtf8("k"), ManifestCodec.fromDictionary(d.requireDictionary("m")),
                    d.requireBytes("s", NodeIdentity.SIGNATURE_LENGTH_BYTES));
        } catch (BencodeException | IllegalArgumentException e) {
            throw new ManifestException("invalid keyword record: " + e.getMessage(), e);
        }
        if (!Arrays.equals(encode(record), encoded)) {
            throw new ManifestException("keyword record encoding is not canonical");
        }
        if (!record.verifySignature()) {
            throw new ManifestException("keyword record signature does not verify for word \"" + record.word() + "\"");
        }
        return record;
    }

    /** The bytes the record's signature covers: domain prefix, then every field but {@code s}. */
    static byte[] signingInput(KeywordRecord record) {
        return SignedForms.signingInput(DOMAIN, unsigned(record).build());
    }

    private static BDictionary.Builder unsigned(KeywordRecord r) {
        return BDictionary.builder()
                .putUtf8("k", r.word())
                .put("m", ManifestCodec.toDictionary(r.manifest()))
                .put("v", VERSION);
    }
}
