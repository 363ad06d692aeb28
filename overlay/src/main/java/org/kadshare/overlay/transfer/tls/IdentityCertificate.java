package org.kadshare.overlay.transfer.tls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
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

/**
 * A node's TLS certificate: self-signed with its Ed25519 identity key, carrying that key, its
 * subject naming the node's DHT node ID ({@code CN=kadshare node <40 hex digits>}). Made afresh
 * at every start (it holds nothing that is not derived from the key and the ID). Peers check the
 * signature and the names, not the dates nor any issuer: the key is the identity.
 *
 * @param certificate the certificate
 * @param keys        the identity key pair the certificate carries
 */
record IdentityCertificate(X509Certificate certificate, KeyPair keys) {
    /** The validity stated in the certificate (peers ignore it). */
    private static final long VALID_DAYS = 100 * 366L;

    /** A certificate for {@code nodeId} carrying and signed with {@code keys} (Ed25519). */
    static IdentityCertificate create(KeyPair keys, NodeId nodeId, Instant now) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, PeerIdentity.COMMON_NAME_PREFIX + nodeId.toHex()).build();
        Instant from = now.minus(1, ChronoUnit.DAYS);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                BigInteger.valueOf(now.getEpochSecond()), Date.from(from),
                Date.from(from.plus(VALID_DAYS, ChronoUnit.DAYS)), subject, keys.getPublic());
        try {
            ContentSigner signer = new JcaContentSignerBuilder("Ed25519").build(keys.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new IdentityCertificate(certificate, keys);
        } catch (OperatorCreationException | java.security.cert.CertificateException e) {
            throw new IllegalStateException("cannot make the TLS certificate of node " + nodeId + ": "
                    + e.getMessage(), e);
        }
    }
}
