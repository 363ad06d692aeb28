package org.kadshare.storage;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A keyword record: "the content of {@code manifest} can be found by {@code word}", signed by the
 * manifest's publisher. The word's DHT key ({@link Keywords#dhtKey}) is where it is stored; the
 * embedded manifest (itself signed) gives the content ID, name, length, media type and publisher
 * key. The record's own signature binds the word, so nobody can file another's manifest under a
 * word its publisher did not choose (a user tag need not appear in the name).
 *
 * @param word      a normalised word ({@link Keywords#isWord})
 * @param manifest  the publisher's signed manifest of the content
 * @param signature the publisher's Ed25519 signature over {@link KeywordRecordCodec}'s signing input
 */
public record KeywordRecord(String word, Manifest manifest, byte[] signature) {
    /** Checks the word is normalised and the signature has the Ed25519 length; copies it. */
    public KeywordRecord {
        if (!Keywords.isWord(word)) {
            throw new IllegalArgumentException("keyword record word must be one normalised word, got \""
                    + word + "\"");
        }
        Objects.requireNonNull(manifest, "manifest");
        if (signature == null || signature.length != NodeIdentity.SIGNATURE_LENGTH_BYTES) {
            throw new IllegalArgumentException("keyword record signature must be "
                    + NodeIdentity.SIGNATURE_LENGTH_BYTES + " bytes");
        }
        signature = signature.clone();
    }

    /**
     * The record filing {@code manifest} under {@code word}, signed by {@code signer}, which must
     * be the manifest's publisher.
     */
    public static KeywordRecord sign(String word, Manifest manifest, NodeIdentity signer) {
        if (!Arrays.equals(signer.publicKey(), manifest.publisherKeyUnshared())) {
            throw new IllegalArgumentException("a keyword record is signed by its manifest's publisher");
        }
        KeywordRecord unsigned = new KeywordRecord(word, manifest, new byte[NodeIdentity.SIGNATURE_LENGTH_BYTES]);
        return new KeywordRecord(word, manifest, signer.sign(KeywordRecordCodec.signingInput(unsigned)));
    }

    /** Whether both the manifest and the record are validly signed by the publisher key. */
    public boolean verifySignature() {
        return manifest.verifySignature() && NodeIdentity.verify(manifest.publisherKeyUnshared(),
                KeywordRecordCodec.signingInput(this), signature);
    }

    /** The DHT key the record is stored under. */
    public byte[] dhtKey() {
        return Keywords.dhtKey(word);
    }

    /** A copy of the signature. */
    @Override
    public byte[] signature() {
        return signature.clone();
    }

    byte[] signatureUnshared() {
        return signature;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeywordRecord r && word.equals(r.word) && manifest.equals(r.manifest)
                && Arrays.equals(signature, r.signature);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * word.hashCode() + manifest.hashCode()) + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "KeywordRecord[word=" + word + ", manifest=" + manifest + ", signature="
                + HexFormat.of().formatHex(signature) + "]";
    }
}
