package org.kadshare.overlay.transfer.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.storage.NodeIdentity;

/**
 * A node's TLS certificate: an ECDSA P-256 key made afresh at every start (the key TLS signs the
 * handshake with), self-signed, its subject naming the node's DHT node ID ({@code CN=kadshare
 * node <40 hex digits>}), and an {@link IdentityBinding} extension in which the node's Ed25519
 * identity key signs that TLS key and that node ID. Peers check the binding, the self-signature
 * and the names, not the dates nor any issuer: the identity key is the identity.
 *
 * <p>Why not the Ed25519 key itself in the certificate: BoringSSL, the fast TLS provider, does not
 * offer Ed25519 among the signatures it verifies in a handshake, and Netty gives no way to add it;
 * P-256 is verified by every TLS 1.3 stack.
 *
 * @param certificate the certificate
 * @param tlsKeys     the key pair the certificate carries (its private key signs TLS handshakes)
 */
record IdentityCertificate(X509Certificate certificate, KeyPair tlsKeys) {
    /** The validity stated in the certificate (peers ignore it). */
    private static final long VALID_DAYS = 100 * 366L;

    /** A certificate for {@code nodeId} on a new P-256 key, bound to {@code identity}. */
    static IdentityCertificate create(NodeIdentity identity, NodeId nodeId, Instant now) {
        return create(identity, nodeId, now, newTlsKeys());
    }

    /** A certificate for {@code nodeId} carrying {@code tlsKeys}, bound to {@code identity}. */
    static IdentityCertificate create(NodeIdentity identity, NodeId nodeId, Instant now, KeyPair tlsKeys) {
        return create(IdentityBinding.sign(identity, nodeId, tlsKeys.getPublic()), nodeId, now, tlsKeys);
    }

    /** A certificate carrying {@code binding} as it is (tests give it wrong ones). */
    static IdentityCertificate create(IdentityBinding binding, NodeId nodeId, Instant now, KeyPair tlsKeys) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, PeerIdentity.COMMON_NAME_PREFIX + nodeId.toHex()).build();
        Instant from = now.minus(1, ChronoUnit.DAYS);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                BigInteger.valueOf(now.getEpochSecond()), Date.from(from),
                Date.from(from.plus(VALID_DAYS, ChronoUnit.DAYS)), subject, tlsKeys.getPublic());
        try {
            builder.addExtension(IdentityBinding.OID, false, binding.encoded());
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(tlsKeys.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new IdentityCertificate(certificate, tlsKeys);
        } catch (OperatorCreationException | IOException | java.security.cert.CertificateException e) {
            throw new IllegalStateException("cannot make the TLS certificate of node " + nodeId + ": "
                    + e.getMessage(), e);
        }
    }

    /** A new ECDSA P-256 key pair, for the TLS handshakes of one run of a node. */
    static KeyPair newTlsKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make ECDSA P-256 keys: " + e.getMessage(), e);
        }
    }
}
