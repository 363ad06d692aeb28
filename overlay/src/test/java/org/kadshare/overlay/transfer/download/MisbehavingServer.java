package org.kadshare.overlay.transfer.download;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.wire.Frame;
import org.kadshare.overlay.transfer.wire.FrameDecoder;
import org.kadshare.overlay.transfer.wire.FrameEncoder;
import org.kadshare.overlay.transfer.wire.GetHashes;
import org.kadshare.overlay.transfer.wire.GetSpan;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;

/**
 * A holder speaking the block protocol through the transfer-wire codec that serves correct
 * handshakes and leaf hashes but either flips a byte in every span or never answers a span.
 */
final class MisbehavingServer implements AutoCloseable {
    enum Mode { FLIP_BYTES, NEVER_ANSWER_SPANS }

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel channel;
    private final AtomicInteger spanRequests = new AtomicInteger();

    MisbehavingServer(byte[] content, MerkleTree tree, Mode mode) throws InterruptedException {
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new FrameDecoder(), new FrameEncoder(), new Handler(content, tree, mode, spanRequests));
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** GET_SPAN requests received so far, answered or not. */
    int spanRequests() {
        return spanRequests.get();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static final class Handler extends SimpleChannelInboundHandler<Frame> {
        private final byte[] content;
        private final MerkleTree tree;
        private final Mode mode;
        private final AtomicInteger spanRequests;

        Handler(byte[] content, MerkleTree tree, Mode mode, AtomicInteger spanRequests) {
            this.content = content;
            this.tree = tree;
            this.mode = mode;
            this.spanRequests = spanRequests;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            if (frame instanceof GetSpan) {
                spanRequests.incrementAndGet();
            }
            if (frame instanceof Handshake h) {
                byte[] id = new byte[20];
                id[0] = 7;
                ctx.writeAndFlush(new Handshake(NodeId.of(id), h.contentId(), tree.lengthBytes(), Holdings.complete()));
            } else if (frame instanceof GetHashes g) {
                SpanProof proof = tree.proof(g.height(), g.index());
                ctx.writeAndFlush(new Hashes(g.requestId(), proof,
                        tree.leafHashes(proof.firstLeaf(), (int) proof.leafCount())));
            } else if (frame instanceof GetSpan g && mode == Mode.FLIP_BYTES) {
                SpanProof proof = tree.proof(g.height(), g.index());
                byte[] data = Arrays.copyOfRange(content, (int) proof.offsetBytes(),
                        (int) (proof.offsetBytes() + proof.spanLengthBytes()));
                data[data.length / 2] ^= 0x40;
                ctx.writeAndFlush(new Span(g.requestId(), proof, data));
            }
        }
    }
}
