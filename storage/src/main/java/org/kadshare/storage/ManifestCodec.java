package org.kadshare.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import org.kadshare.bencode.BDictionary;
import org.kadshare.bencode.Bencode;
import org.kadshare.bencode.BencodeException;
import org.kadshare.bencode.BencodeLimits;

/**
 * The wire form of a {@link Manifest}: one bencoded dictionary (keys below), and the bytes its
 * signature covers. Decoding is strict and verifies the signature, so a manifest that decodes is
 * well-formed, canonical and signed by its publisher key.
 *
 * <pre>
 *   c  string(32)  content ID          n  string  name (UTF-8)
 *   l  integer     length in bytes     p  string(32)  publisher Ed25519 public key
 *   m  string      media type          s  string(64)  Ed25519 signature
 *   t  integer     created, epoch s    v  integer  format version, 1
 * </pre>
 *
 * <p>Signing input: {@code "kadshare-manifest-v1" || 0x00 || bencode(dictionary without "s")}.
 */
public final class ManifestCodec {
    /** The format version written in {@code v}. */
    public static final long VERSION = 1;
    /**
     * Upper bound on an encoded manifest, in bytes: the largest valid manifest (255-byte name,
     * 127-byte media type, 19-digit length and time) encodes to 598 bytes.
     */
    public static final int MAX_ENCODED_BYTES = 600;

    private static final byte[] DOMAIN =
            "kadshare-manifest-v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final Set<String> KEYS = Set.of("c", "l", "m", "n", "p", "s", "t", "v");
    private static final BencodeLimits LIMITS =
            new BencodeLimits(MAX_ENCODED_BYTES, 1, 64, Manifest.MAX_NAME_BYTES);

    private ManifestCodec() {
    }

    /** The canonical encoding of {@code manifest}, at most {@link #MAX_ENCODED_BYTES} bytes. */
    public static byte[] encode(Manifest manifest) {
        return Bencode.encode(toDictionary(manifest));
    }

    /** {@code manifest} as a bencoded dictionary, for embedding in a larger message. */
    public static BDictionary toDictionary(Manifest manifest) {
        return unsigned(manifest).put("s", manifest.signatureUnshared()).build();
    }

    /**
     * Decodes and verifies a manifest.
     *
     * @throws ManifestException if the bytes are not a canonical version-1 manifest with valid
     *     fields, or the signature does not verify
     */
    public static Manifest decode(byte[] encoded) throws ManifestException {
        BDictionary d = SignedForms.dictionary(encoded, MAX_ENCODED_BYTES, LIMITS, KEYS, "manifest");
        Manifest m = fromDictionary(d);
        if (!Arrays.equals(encode(m), encoded)) {
            throw new ManifestException("manifest encoding is not canonical");
        }
        return m;
    }

    /**
     * Reads and verifies a manifest from a decoded dictionary.
     *
     * @throws ManifestException if a key is missing, unknown or malformed, the version is not 1,
     *     or the signature does not verify
     */
    public static Manifest fromDictionary(BDictionary d) throws ManifestException {
        SignedForms.onlyKeys(d, KEYS, "manifest");
        Manifest m;
        try {
            long version = d.requireInteger("v");
            if (version != VERSION) {
                throw new ManifestException("manifest version " + version + " is not supported, only "
                        + VERSION);
            }
            m = new Manifest(
                    ContentId.of(d.requireBytes("c", ContentId.LENGTH_BYTES)),
                    d.requireInteger("l"),
                    d.requireUtf8("n"),
                    d.requireUtf8("m"),
                    d.requireInteger("t"),
                    d.requireBytes("p", NodeIdentity.PUBLIC_KEY_LENGTH_BYTES),
                    d.requireBytes("s", NodeIdentity.SIGNATURE_LENGTH_BYTES));
        } catch (BencodeException | IllegalArgumentException e) {
            throw new ManifestException("invalid manifest: " + e.getMessage(), e);
        }
        if (!m.verifySignature()) {
            throw new ManifestException("manifest signature does not verify for publisher key "
                    + HexFormat.of().formatHex(m.publisherKeyUnshared()));
        }
        return m;
    }

    /** The bytes the manifest's signature covers: domain prefix, then every field but {@code s}. */
    static byte[] signingInput(Manifest manifest) {
        return SignedForms.signingInput(DOMAIN, unsigned(manifest).build());
    }

    private static BDictionary.Builder unsigned(Manifest m) {
        return BDictionary.builder()
                .put("c", m.id().toBytes())
                .put("l", m.lengthBytes())
                .putUtf8("m", m.mediaType())
                .putUtf8("n", m.name())
                .put("p", m.publisherKeyUnshared())
                .put("t", m.createdEpochSeconds())
                .put("v", VERSION);
    }
}
