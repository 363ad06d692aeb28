package org.kadshare.overlay.transfer.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which TLS implementation encrypts the block protocol: BoringSSL through Netty's tcnative (its
 * native library ships in the jar for Linux x86-64) where it loads, the JDK's SunJSSE elsewhere,
 * said once in the log. Both speak the same TLS 1.3 with the same certificates, so nodes on either
 * talk to each other. Measured in docs/BENCHMARKS.md, "Encrypted transfers": BoringSSL's AES-GCM
 * and record layer cost a fraction of the JDK's, above all in a JVM that has not compiled the
 * JDK's TLS code yet.
 */
final class TlsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(TlsProvider.class);

    private TlsProvider() {
    }

    /** The provider to use: {@link SslProvider#OPENSSL} if BoringSSL loads here, else {@link SslProvider#JDK}. */
    static SslProvider best() {
        return Holder.BEST;
    }

    private static final class Holder {
        static final SslProvider BEST = choose();

        private static SslProvider choose() {
            if (OpenSsl.isAvailable()) {
                LOG.debug("TLS on {}", OpenSsl.versionString());
                return SslProvider.OPENSSL;
            }
            Throwable cause = OpenSsl.unavailabilityCause();
            LOG.info("TLS runs on the JDK's provider, slower: BoringSSL is not available on this platform ({})",
                    cause == null ? "unknown reason" : cause.getMessage());
            return SslProvider.JDK;
        }
    }
}
