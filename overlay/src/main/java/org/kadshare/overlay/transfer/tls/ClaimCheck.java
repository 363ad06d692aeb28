package org.kadshare.overlay.transfer.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.FrameException;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the identity a peer claims against the one it proved: the node ID in its HANDSHAKE frame
 * must be the node ID its TLS certificate names. A mismatch is logged and answered with a
 * connection ERROR {@code BAD_REQUEST} and a close (raised as a {@link FrameException}, which
 * either side's handler turns into that ERROR). On a match the peer's identity is kept in the
 * channel's {@link #PEER_IDENTITY} attribute and the check leaves the pipeline. Sits right after
 * the frame decoder of an encrypted channel.
 */
final class ClaimCheck extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClaimCheck.class);
    static final AttributeKey<PeerIdentity> PEER_IDENTITY = AttributeKey.valueOf("kadshare.peerIdentity");

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof Handshake claim)) {
            ctx.fireChannelRead(msg);
            return;
        }
        PeerIdentity proved = provedIdentity(ctx);
        if (!proved.nodeId().equals(claim.nodeId())) {
            String reason = "the handshake claims node ID " + claim.nodeId().toHex()
                    + " but the TLS certificate carries node ID " + proved.nodeId().toHex();
            LOG.info("Refused peer {}: {} (key {})", ctx.channel().remoteAddress(), reason, proved.publicKeyHex());
            throw new FrameException(ErrorCode.BAD_REQUEST, reason);
        }
        ctx.channel().attr(PEER_IDENTITY).set(proved);
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        LOG.debug("Encrypted connection with {}: {}, {} {}", ctx.channel().remoteAddress(), proved,
                ssl.engine().getSession().getProtocol(), ssl.engine().getSession().getCipherSuite());
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(msg);
    }

    private static PeerIdentity provedIdentity(ChannelHandlerContext ctx) throws FrameException {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "a handshake arrived in clear on a connection that"
                    + " was to be encrypted");
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return PeerIdentity.of((X509Certificate) chain[0]);
        } catch (SSLPeerUnverifiedException | CertificateException | ClassCastException e) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "the peer proved no identity: " + e.getMessage());
        }
    }
}
