package org.kadshare.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A node's long-lived Ed25519 key pair: it signs the manifests the node publishes. The private
 * key is a 32-byte seed (RFC 8032) kept in {@code identity.key} in the node's data directory (format
 * in {@code docs/PROTOCOL.md}, "Manifests"); it never leaves this object as bytes to store or send.
 * It also signs the node's TLS key ({@link #sign}; docs/PROTOCOL.md section 5.1).
 */
public final class NodeIdentity {
    /** Length of an Ed25519 public key in bytes. */
    public static final int PUBLIC_KEY_LENGTH_BYTES = Ed25519PublicKeyParameters.KEY_SIZE;
    /** Length of an Ed25519 private seed in bytes. */
    public static final int SEED_LENGTH_BYTES = Ed25519PrivateKeyParameters.KEY_SIZE;
    /** Length of an Ed25519 signature in bytes. */
    public static final int SIGNATURE_LENGTH_BYTES = Ed25519PrivateKeyParameters.SIGNATURE_SIZE;
    /** Name of the key file in the data directory. */
    public static final String KEY_FILE_NAME = "identity.key";

    private final Ed25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;

    private NodeIdentity(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.generatePublicKey().getEncoded();
    }

    /**
     * Loads the identity from {@code dataDir/identity.key}, or on first run creates the directory
     * if needed and a new key file readable by its owner only.
     *
     * @throws IOException if the file cannot be read or written, is corrupt or truncated (it is
     *     never overwritten then), or is accessible to group or others; the message names the file
     */
    public static NodeIdentity loadOrCreate(Path dataDir) throws IOException {
        if (dataDir == null) {
            throw new IllegalArgumentException("data directory is missing");
        }
        IdentityKeyFile file = new IdentityKeyFile(dataDir.resolve(KEY_FILE_NAME));
        if (file.exists()) {
            return fromSeed(file.readSeed());
        }
        byte[] seed = new byte[SEED_LENGTH_BYTES];
        new SecureRandom().nextBytes(seed);
        file.create(seed);
        return fromSeed(seed);
    }

    /** A new random identity that is not stored anywhere. */
    public static NodeIdentity generate() {
        byte[] seed = new byte[SEED_LENGTH_BYTES];
        new SecureRandom().nextBytes(seed);
        return fromSeed(seed);
    }

    /** The identity whose private key is the 32-byte {@code seed}. */
    public static NodeIdentity fromSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_LENGTH_BYTES) {
            throw new IllegalArgumentException("an Ed25519 seed is " + SEED_LENGTH_BYTES
                    + " bytes, got " + (seed == null ? "null" : seed.length));
        }
        return new NodeIdentity(new Ed25519PrivateKeyParameters(seed, 0));
    }

    /** A copy of the 32-byte public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The 64-byte Ed25519 signature of {@code message}. */
    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /**
     * Whether {@code signature} is a valid Ed25519 signature of {@code message} by
     * {@code publicKey}; false for keys or signatures of the wrong length or encoding.
     */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || message == null || signature == null
                || publicKey.length != PUBLIC_KEY_LENGTH_BYTES
                || signature.length != SIGNATURE_LENGTH_BYTES) {
            return false;
        }
        try {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (RuntimeException invalidKeyEncoding) {
            return false;
        }
    }

    /** Shows the public key only. */
    @Override
    public String toString() {
        return "NodeIdentity[publicKey=" + HexFormat.of().formatHex(publicKey) + "]";
    }
}
