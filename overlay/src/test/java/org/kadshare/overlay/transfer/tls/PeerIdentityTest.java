package org.kadshare.overlay.transfer.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Random;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.storage.NodeIdentity;

class PeerIdentityTest {
    private static final NodeId NODE = NodeId.random(new Random(3));
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static NodeIdentity identity(int n) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) n);
        return NodeIdentity.fromSeed(seed);
    }

    @Test
    void aNodesCertificateCarriesItsIdentityKeyAndNodeId() throws Exception {
        NodeIdentity me = identity(1);
        X509Certificate cert = IdentityCertificate.create(me.jcaKeyPair(), NODE, NOW).certificate();
        PeerIdentity proved = PeerIdentity.of(cert);
        assertThat(proved.nodeId()).isEqualTo(NODE);
        assertThat(proved.publicKey()).isEqualTo(me.publicKey());
    }

    @Test
    void theWarmUpCompletesAHandshakeBetweenANodesOwnContexts() throws Exception {
        assertThat(TransportSecurity.of(Encryption.PREFER, identity(1), NODE).warmUp()).isTrue();
        assertThat(TransportSecurity.of(Encryption.REFUSE, identity(1), NODE).warmUp()).isFalse();
    }

    @Test
    void aCertificateSignedByAnotherKeyThanTheOneItCarriesIsRefused() {
        KeyPair carried = identity(1).jcaKeyPair();
        KeyPair signer = identity(2).jcaKeyPair();
        X509Certificate forged = IdentityCertificate.create(new KeyPair(carried.getPublic(), signer.getPrivate()),
                NODE, NOW).certificate();
        assertThatThrownBy(() -> PeerIdentity.of(forged)).isInstanceOf(CertificateException.class)
                .hasMessageContaining("not signed by the key it carries");
    }

    @Test
    void aCertificateWithAnotherKindOfKeyIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair ec = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + PeerIdentity.COMMON_NAME_PREFIX + NODE.toHex());
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                subject, BigInteger.ONE, Date.from(NOW), Date.from(NOW.plusSeconds(3600)), subject, ec.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ec.getPrivate())));
        assertThatThrownBy(() -> PeerIdentity.of(cert)).isInstanceOf(CertificateException.class)
                .hasMessageContaining("not an Ed25519 identity");
    }

    @Test
    void aCertificateNamingNoNodeIdIsRefused() throws Exception {
        KeyPair keys = identity(1).jcaKeyPair();
        X500Name subject = new X500Name("CN=somebody");
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                subject, BigInteger.ONE, Date.from(NOW), Date.from(NOW.plusSeconds(3600)), subject, keys.getPublic())
                .build(new JcaContentSignerBuilder("Ed25519").build(keys.getPrivate())));
        assertThatThrownBy(() -> PeerIdentity.of(cert)).isInstanceOf(CertificateException.class)
                .hasMessageContaining("names no kadshare node");
    }
}
