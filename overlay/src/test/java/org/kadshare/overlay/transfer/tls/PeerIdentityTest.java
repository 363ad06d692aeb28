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
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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
        X509Certificate cert = IdentityCertificate.create(me, NODE, NOW).certificate();
        PeerIdentity proved = PeerIdentity.of(cert);
        assertThat(proved.nodeId()).isEqualTo(NODE);
        assertThat(proved.publicKey()).isEqualTo(me.publicKey());
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void theWarmUpCompletesAHandshakeBetweenANodesOwnContexts(SslProvider provider) throws Exception {
        assertThat(TransportSecurity.of(Encryption.PREFER, identity(1), NODE, provider).warmUp()).isTrue();
        assertThat(TransportSecurity.of(Encryption.REFUSE, identity(1), NODE, provider).warmUp()).isFalse();
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void boringSslIsTheProviderOnLinuxX8664() {
        assertThat(TlsProvider.best()).isEqualTo(SslProvider.OPENSSL);
    }

    @Test
    void aCertificateSignedByAnotherKeyThanTheOneItCarriesIsRefused() {
        KeyPair carried = IdentityCertificate.newTlsKeys();
        KeyPair signer = IdentityCertificate.newTlsKeys();
        X509Certificate forged = IdentityCertificate.create(identity(1), NODE, NOW,
                new KeyPair(carried.getPublic(), signer.getPrivate())).certificate();
        assertThatThrownBy(() -> PeerIdentity.of(forged)).isInstanceOf(CertificateException.class)
                .hasMessageContaining("not signed by the key it carries");
    }

    @Test
    void aBindingSignedByAnotherIdentityThanTheOneItNamesIsRefused() {
        KeyPair tls = IdentityCertificate.newTlsKeys();
        byte[] signedByTwo = IdentityBinding.sign(identity(2), NODE, tls.getPublic()).signature();
        IdentityBinding claimsOne = new IdentityBinding(identity(1).publicKey(), signedByTwo);
        X509Certificate forged = IdentityCertificate.create(claimsOne, NODE, NOW, tls).certificate();
        assertThatThrownBy(() -> PeerIdentity.of(forged)).isInstanceOf(CertificateException.class)
                .hasMessageContaining("did not sign this certificate's TLS key");
    }

    @Test
    void aPeersBindingCopiedOntoAnotherTlsKeyIsRefused() {
        KeyPair victims = IdentityCertificate.newTlsKeys();
        KeyPair attackers = IdentityCertificate.newTlsKeys();
        IdentityBinding copied = IdentityBinding.sign(identity(1), NODE, victims.getPublic());
        X509Certificate forged = IdentityCertificate.create(copied, NODE, NOW, attackers).certificate();
        assertThatThrownBy(() -> PeerIdentity.of(forged)).isInstanceOf(CertificateException.class)
                .hasMessageContaining("did not sign this certificate's TLS key");
    }

    @Test
    void aBindingForAnotherNodeIdThanTheCertificateNamesIsRefused() {
        KeyPair tls = IdentityCertificate.newTlsKeys();
        IdentityBinding forOther = IdentityBinding.sign(identity(1), NodeId.random(new Random(4)), tls.getPublic());
        X509Certificate forged = IdentityCertificate.create(forOther, NODE, NOW, tls).certificate();
        assertThatThrownBy(() -> PeerIdentity.of(forged)).isInstanceOf(CertificateException.class)
                .hasMessageContaining("for node ID " + NODE.toHex());
    }

    private static X509Certificate plain(String subject, KeyPair keys, String algorithm) throws Exception {
        X500Name name = new X500Name(subject);
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.ONE, Date.from(NOW), Date.from(NOW.plusSeconds(3600)), name, keys.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
    }

    @Test
    void aCertificateWithoutAnIdentityBindingIsRefused() throws Exception {
        X509Certificate cert = plain("CN=" + PeerIdentity.COMMON_NAME_PREFIX + NODE.toHex(),
                IdentityCertificate.newTlsKeys(), "SHA256withECDSA");
        assertThatThrownBy(() -> PeerIdentity.of(cert)).isInstanceOf(CertificateException.class)
                .hasMessageContaining("carries no kadshare identity binding");
    }

    @Test
    void aCertificateWithAnotherKindOfKeyIsRefused() throws Exception {
        X509Certificate ed25519 = plain("CN=" + PeerIdentity.COMMON_NAME_PREFIX + NODE.toHex(),
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), "Ed25519");
        assertThatThrownBy(() -> PeerIdentity.of(ed25519)).isInstanceOf(CertificateException.class)
                .hasMessageContaining("not an ECDSA P-256 TLS key");
    }

    @Test
    void aCertificateNamingNoNodeIdIsRefused() throws Exception {
        X509Certificate cert = plain("CN=somebody", IdentityCertificate.newTlsKeys(), "SHA256withECDSA");
        assertThatThrownBy(() -> PeerIdentity.of(cert)).isInstanceOf(CertificateException.class)
                .hasMessageContaining("names no kadshare node");
    }
}
