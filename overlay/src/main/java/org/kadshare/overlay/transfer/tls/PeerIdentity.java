package org.kadshare.overlay.transfer.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.kadshare.overlay.dht.NodeId;

/**
 * Who a peer proved to be in the TLS handshake: the Ed25519 public key its certificate carries
 * (the TLS handshake proves it holds the private key) and the DHT node ID that certificate names,
 * signed with that key. The node ID is what the peer then claims in its block-protocol HANDSHAKE.
 *
 * @param nodeId    the node ID in the certificate's subject
 * @param publicKey the 32-byte Ed25519 public key
 */
public record PeerIdentity(NodeId nodeId, byte[] publicKey) {
    /** The subject's common name is this prefix and the node ID in 40 hex digits. */
    static final String COMMON_NAME_PREFIX = "kadshare node ";

    /** Copies the key and checks its length. */
    public PeerIdentity {
        Objects.requireNonNull(nodeId, "nodeId");
        publicKey = publicKey.clone();
        if (publicKey.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + publicKey.length);
        }
    }

    /**
     * The identity {@code certificate} carries, after checking that it is a kadshare identity
     * certificate: an Ed25519 key, signed by that same key, with a subject naming a node ID.
     *
     * @throws CertificateException saying what is wrong with it
     */
    static PeerIdentity of(X509Certificate certificate) throws CertificateException {
        byte[] key = ed25519Key(certificate);
        try {
            certificate.verify(certificate.getPublicKey());
        } catch (java.security.GeneralSecurityException e) {
            throw new CertificateException("the certificate is not signed by the key it carries: " + e.getMessage(), e);
        }
        return new PeerIdentity(nodeIdOf(certificate), key);
    }

    private static byte[] ed25519Key(X509Certificate certificate) throws CertificateException {
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
        if (!info.getAlgorithm().getAlgorithm().equals(org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed25519)) {
            throw new CertificateException("the certificate carries a " + certificate.getPublicKey().getAlgorithm()
                    + " key, not an Ed25519 identity");
        }
        return info.getPublicKeyData().getBytes();
    }

    private static NodeId nodeIdOf(X509Certificate certificate) throws CertificateException {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        RDN[] names = subject.getRDNs(BCStyle.CN);
        String cn = names.length == 1 ? IETFUtils.valueToString(names[0].getFirst().getValue()) : "";
        if (!cn.startsWith(COMMON_NAME_PREFIX)) {
            throw new CertificateException("the certificate's subject names no kadshare node: " + subject);
        }
        try {
            return NodeId.parseHex(cn.substring(COMMON_NAME_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new CertificateException("the certificate's subject has no valid node ID: " + cn, e);
        }
    }

    /** The public key, a copy. */
    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The public key in hex. */
    public String publicKeyHex() {
        return HexFormat.of().formatHex(publicKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerIdentity p && p.nodeId.equals(nodeId) && Arrays.equals(p.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return 31 * nodeId.hashCode() + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "node " + nodeId.toHex() + " key " + publicKeyHex();
    }
}
