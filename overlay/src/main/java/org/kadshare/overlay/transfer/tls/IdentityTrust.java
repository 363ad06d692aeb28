package org.kadshare.overlay.transfer.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS trust decision for kadshare peers, both directions: the peer presents exactly one
 * certificate, a kadshare identity certificate ({@link PeerIdentity#of}); no certificate
 * authority is involved. Which identity to expect is decided after the handshake, against the
 * node ID the peer claims in its HANDSHAKE frame ({@link ClaimCheck}).
 */
final class IdentityTrust extends X509ExtendedTrustManager {
    static final IdentityTrust INSTANCE = new IdentityTrust();

    private IdentityTrust() {
    }

    private static void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length != 1) {
            throw new CertificateException("a kadshare peer presents exactly one self-signed certificate, got "
                    + (chain == null ? 0 : chain.length));
        }
        PeerIdentity.of(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
