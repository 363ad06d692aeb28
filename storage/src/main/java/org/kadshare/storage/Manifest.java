package org.kadshare.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A publisher's signed description of a piece of content: its ID and length, a file name, a media
 * type and a creation time, with the publisher's Ed25519 public key and signature. Several
 * publishers may sign manifests for the same content. The wire form and the signed bytes are
 * defined by {@link ManifestCodec} (see {@code docs/PROTOCOL.md}, "Manifests").
 *
 * <p>The constructor checks every field's form but not the signature; {@link #verifySignature()}
 * does that, and {@link ManifestCodec#decode(byte[])} only returns verified manifests.
 *
 * @param id                  the content ID
 * @param lengthBytes         the content's length, at least 0
 * @param name                a file name: 1 to 255 UTF-8 bytes, no control characters, no
 *                            {@code /} or {@code \}, not {@code .} or {@code ..}
 * @param mediaType           a lower-case {@code type/subtype} of at most 127 bytes
 * @param createdEpochSeconds when the publisher signed it, seconds since 1970, at least 0
 * @param publisherKey        the publisher's 32-byte Ed25519 public key
 * @param signature           the 64-byte Ed25519 signature over {@link ManifestCodec}'s signing input
 */
public record Manifest(ContentId id, long lengthBytes, String name, String mediaType,
        long createdEpochSeconds, byte[] publisherKey, byte[] signature) {

    /** Longest name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 255;
    /** Longest media type, in bytes. */
    public static final int MAX_MEDIA_TYPE_BYTES = 127;

    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    /** Validates every field and copies the arrays. */
    public Manifest {
        if (id == null) {
            throw new IllegalArgumentException("manifest content ID is missing");
        }
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("manifest length must be >= 0, got " + lengthBytes);
        }
        checkName(name);
        checkMediaType(mediaType);
        if (createdEpochSeconds < 0) {
            throw new IllegalArgumentException("manifest creation time must be >= 0, got "
                    + createdEpochSeconds);
        }
        publisherKey = copyOfLength("publisher key", publisherKey,
                NodeIdentity.PUBLIC_KEY_LENGTH_BYTES);
        signature = copyOfLength("signature", signature, NodeIdentity.SIGNATURE_LENGTH_BYTES);
    }

    /**
     * A manifest for the given fields signed by {@code signer}. The media type is lower-cased
     * first.
     *
     * @throws IllegalArgumentException if a field is invalid, naming it
     */
    public static Manifest sign(ContentId id, long lengthBytes, String name, String mediaType,
            long createdEpochSeconds, NodeIdentity signer) {
        if (signer == null || mediaType == null) {
            throw new IllegalArgumentException("signer and media type are required");
        }
        String type = mediaType.toLowerCase(Locale.ROOT);
        byte[] publisherKey = signer.publicKey();
        Manifest unsigned = new Manifest(id, lengthBytes, name, type, createdEpochSeconds,
                publisherKey, new byte[NodeIdentity.SIGNATURE_LENGTH_BYTES]);
        byte[] signature = signer.sign(ManifestCodec.signingInput(unsigned));
        return new Manifest(id, lengthBytes, name, type, createdEpochSeconds, publisherKey,
                signature);
    }

    /** Whether the signature is the publisher key's valid signature over all other fields. */
    public boolean verifySignature() {
        return NodeIdentity.verify(publisherKey, ManifestCodec.signingInput(this), signature);
    }

    /** A copy of the publisher's public key. */
    @Override
    public byte[] publisherKey() {
        return publisherKey.clone();
    }

    /** A copy of the signature. */
    @Override
    public byte[] signature() {
        return signature.clone();
    }

    byte[] publisherKeyUnshared() {
        return publisherKey;
    }

    byte[] signatureUnshared() {
        return signature;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Manifest m
                && id.equals(m.id)
                && lengthBytes == m.lengthBytes
                && name.equals(m.name)
                && mediaType.equals(m.mediaType)
                && createdEpochSeconds == m.createdEpochSeconds
                && Arrays.equals(publisherKey, m.publisherKey)
                && Arrays.equals(signature, m.signature);
    }

    @Override
    public int hashCode() {
        int h = id.hashCode();
        h = 31 * h + Long.hashCode(lengthBytes);
        h = 31 * h + name.hashCode();
        h = 31 * h + mediaType.hashCode();
        h = 31 * h + Long.hashCode(createdEpochSeconds);
        h = 31 * h + Arrays.hashCode(publisherKey);
        return 31 * h + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "Manifest[id=" + id + ", lengthBytes=" + lengthBytes + ", name=\"" + name
                + "\", mediaType=" + mediaType + ", createdEpochSeconds=" + createdEpochSeconds
                + ", publisherKey=" + hex.formatHex(publisherKey)
                + ", signature=" + hex.formatHex(signature) + "]";
    }

    private static void checkName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("manifest name is missing");
        }
        int bytes = utf8Length(name, "manifest name");
        if (bytes < 1 || bytes > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("manifest name must be 1 to " + MAX_NAME_BYTES
                    + " UTF-8 bytes, got " + bytes);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("manifest name must not be \"" + name + "\"");
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (Character.isISOControl(cp)) {
                throw new IllegalArgumentException(String.format(
                        "manifest name has the control character U+%04X at index %d", cp, i));
            }
            if (cp == '/' || cp == '\\') {
                throw new IllegalArgumentException("manifest name must not contain '"
                        + (char) cp + "' (at index " + i + ")");
            }
            i += Character.charCount(cp);
        }
    }

    private static void checkMediaType(String mediaType) {
        if (mediaType == null) {
            throw new IllegalArgumentException("manifest media type is missing");
        }
        if (mediaType.length() > MAX_MEDIA_TYPE_BYTES) {
            throw new IllegalArgumentException("manifest media type must be at most "
                    + MAX_MEDIA_TYPE_BYTES + " bytes, got " + mediaType.length() + " characters");
        }
        int slash = mediaType.indexOf('/');
        if (slash <= 0 || slash == mediaType.length() - 1
                || mediaType.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("manifest media type must be type/subtype, got \""
                    + mediaType + "\"");
        }
        for (int i = 0; i < mediaType.length(); i++) {
            char c = mediaType.charAt(i);
            boolean ok = c == '/' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || TOKEN_SYMBOLS.indexOf(c) >= 0;
            if (!ok) {
                throw new IllegalArgumentException("manifest media type \"" + mediaType
                        + "\" has '" + c + "' at index " + i
                        + "; only lower-case token characters and one '/' are allowed");
            }
        }
    }

    private static int utf8Length(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1));
                if (!paired) {
                    throw new IllegalArgumentException(what + " has an unpaired surrogate at index "
                            + i);
                }
                i++;
            }
        }
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static byte[] copyOfLength(String what, byte[] bytes, int length) {
        if (bytes == null || bytes.length != length) {
            throw new IllegalArgumentException("manifest " + what + " must be " + length
                    + " bytes, got " + (bytes == null ? "null" : bytes.length));
        }
        return bytes.clone();
    }
}
