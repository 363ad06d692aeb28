package org.kadshare.overlay.transfer.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.storage.NodeIdentity;

/**
 * The certificate extension that ties a node's TLS key to its Ed25519 identity: the identity's
 * public key and its signature over {@link #CONTEXT}, the node ID (20 bytes) and the TLS key's
 * DER SubjectPublicKeyInfo. TLS proves that a peer holds the TLS key; this signature proves that
 * the holder of the identity key chose that TLS key for that node ID. Without the identity's
 * private key nobody can make one for another TLS key or node ID; copying a peer's certificate
 * gains nothing without that peer's TLS private key. DER: {@code SEQUENCE { OCTET STRING
 * publicKey (32), OCTET STRING signature (64) }}, under {@link #OID} (a UUID OID, X.667).
 *
 * @param publicKey the 32-byte Ed25519 identity key
 * @param signature its 64-byte signature as above
 */
record IdentityBinding(byte[] publicKey, byte[] signature) {
    static final ASN1ObjectIdentifier OID = new ASN1ObjectIdentifier("2.25.207823609567695059048194910425705038439");
    static final byte[] CONTEXT = "kadshare tls key v1".getBytes(StandardCharsets.US_ASCII);

    /** Copies the arrays and checks their lengths. */
    IdentityBinding {
        publicKey = publicKey.clone();
        signature = signature.clone();
        if (publicKey.length != NodeIdentity.PUBLIC_KEY_LENGTH_BYTES
                || signature.length != NodeIdentity.SIGNATURE_LENGTH_BYTES) {
            throw new IllegalArgumentException("an identity binding is a 32-byte key and a 64-byte signature, got "
                    + publicKey.length + " and " + signature.length);
        }
    }

    /** {@code identity}'s binding of {@code tlsKey} to {@code nodeId}. */
    static IdentityBinding sign(NodeIdentity identity, NodeId nodeId, PublicKey tlsKey) {
        return new IdentityBinding(identity.publicKey(), identity.sign(message(nodeId, tlsKey)));
    }

    /** The bytes the identity signs. */
    static byte[] message(NodeId nodeId, PublicKey tlsKey) {
        byte[] id = nodeId.toBytes();
        byte[] key = tlsKey.getEncoded();
        byte[] message = new byte[CONTEXT.length + id.length + key.length];
        System.arraycopy(CONTEXT, 0, message, 0, CONTEXT.length);
        System.arraycopy(id, 0, message, CONTEXT.length, id.length);
        System.arraycopy(key, 0, message, CONTEXT.length + id.length, key.length);
        return message;
    }

    /** Whether the signature binds {@code tlsKey} to {@code nodeId}. */
    boolean binds(NodeId nodeId, PublicKey tlsKey) {
        return NodeIdentity.verify(publicKey, message(nodeId, tlsKey), signature);
    }

    /** The extension's DER value. */
    ASN1Encodable encoded() {
        return new DERSequence(new ASN1Encodable[] {new DEROctetString(publicKey), new DEROctetString(signature)});
    }

    /**
     * The binding {@code certificate} carries.
     *
     * @throws CertificateException if it has none or a malformed one
     */
    static IdentityBinding of(X509Certificate certificate) throws CertificateException {
        byte[] extension = certificate.getExtensionValue(OID.getId());
        if (extension == null) {
            throw new CertificateException("the certificate carries no kadshare identity binding");
        }
        try {
            ASN1Primitive value = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(extension).getOctets());
            ASN1Sequence fields = ASN1Sequence.getInstance(value);
            if (fields.size() != 2) {
                throw new CertificateException("the identity binding has " + fields.size() + " fields, not 2");
            }
            return new IdentityBinding(ASN1OctetString.getInstance(fields.getObjectAt(0)).getOctets(),
                    ASN1OctetString.getInstance(fields.getObjectAt(1)).getOctets());
        } catch (IOException | IllegalArgumentException e) {
            throw new CertificateException("the identity binding is malformed: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }
}
