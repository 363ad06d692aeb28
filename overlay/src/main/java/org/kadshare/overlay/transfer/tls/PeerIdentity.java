package org.kadshare.overlay.transfer.tls;

import java.security.AlgorithmParameters;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.kadshare.overlay.dht.NodeId;

/**
 * Who a peer proved to be in the TLS handshake: the Ed25519 identity key its certificate is bound
 * to and the DHT node ID that certificate names (the TLS handshake proves the peer holds the
 * certificate's TLS key; the identity key signed that TLS key for that node ID). The node ID is
 * what the peer then claims in its block-protocol HANDSHAKE.
 *
 * @param nodeId    the node ID in the certificate's subject
 * @param publicKey the 32-byte Ed25519 public key
 */
public record PeerIdentity(NodeId nodeId, byte[] publicKey) {
    /** The subject's common name is this prefix and the node ID in 40 hex digits. */
    static final String COMMON_NAME_PREFIX = "kadshare node ";
    private static final ECParameterSpec P256 = p256();

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
     * certificate ({@link IdentityCertificate}): an ECDSA P-256 TLS key, the certificate signed by
     * that same key, a subject naming a node ID, and an {@link IdentityBinding} in which an Ed25519
     * identity key signs that TLS key and that node ID.
     *
     * @throws CertificateException saying what is wrong with it
     */
    static PeerIdentity of(X509Certificate certificate) throws CertificateException {
        PublicKey tlsKey = certificate.getPublicKey();
        if (!(tlsKey instanceof ECPublicKey ec) || !isP256(ec.getParams())) {
            throw new CertificateException("the certificate carries a " + tlsKey.getAlgorithm()
                    + " key, not an ECDSA P-256 TLS key");
        }
        try {
            certificate.verify(tlsKey);
        } catch (java.security.GeneralSecurityException e) {
            throw new CertificateException("the certificate is not signed by the key it carries: " + e.getMessage(), e);
        }
        NodeId nodeId = nodeIdOf(certificate);
        IdentityBinding binding = IdentityBinding.of(certificate);
        if (!binding.binds(nodeId, tlsKey)) {
            throw new CertificateException("the identity key " + HexFormat.of().formatHex(binding.publicKey())
                    + " did not sign this certificate's TLS key for node ID " + nodeId.toHex());
        }
        return new PeerIdentity(nodeId, binding.publicKey());
    }

    private static boolean isP256(ECParameterSpec params) {
        return params.getCurve().equals(P256.getCurve()) && params.getOrder().equals(P256.getOrder())
                && params.getGenerator().equals(P256.getGenerator()) && params.getCofactor() == P256.getCofactor();
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("this JDK does not know the curve P-256: " + e.getMessage(), e);
        }
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
