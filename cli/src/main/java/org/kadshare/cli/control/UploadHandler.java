package org.kadshare.cli.control;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/upload?name=<file name>}: a file sent from the browser as the raw request body,
 * streamed to a temporary file as it arrives (the 64 KiB body limit of the JSON routes does not
 * apply; {@link Uploads#maxBytes} does). The caller and the declared length are checked before a
 * byte is written: no token or session is 401, no {@code Content-Length} 411, too large 413, a
 * length the disk has no room for is the disk-full failure. A write that fails on the way (the
 * disk filled up meanwhile) deletes what was written. After a refusal the rest of the body is
 * read and dropped, so the browser sees the answer rather than a reset connection, and the
 * connection is then closed. Each chunk restarts the body deadline: an upload that stalls is cut off.
 */
final class UploadHandler extends ChannelInboundHandlerAdapter {
    static final String PATH = "/v1/upload";
    private static final Logger LOG = LoggerFactory.getLogger(UploadHandler.class);
    private static final int MAX_NAME_CHARS = 255;

    private final ControlServer server;
    private boolean active;
    private boolean refused;
    private FileChannel file;
    private Path temp;
    private String name;
    private long written;
    private boolean keepAlive;

    UploadHandler(ControlServer server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req && !active) {
            if (server.uploads() == null || !new QueryStringDecoder(req.uri()).path().equals(PATH)
                    || !req.decoderResult().isSuccess()) {
                ctx.fireChannelRead(msg);
                return;
            }
            active = true;
            refused = false;
            keepAlive = HttpUtil.isKeepAlive(req);
            begin(ctx, req);
        }
        if (!active) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (msg instanceof HttpContent content) {
                write(ctx, content.content());
                if (content instanceof LastHttpContent) {
                    end(ctx);
                } else {
                    ((RequestDeadlines) ctx.pipeline().get("deadlines"))
                            .bodyProgress(ctx.pipeline().context("deadlines"));
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest req) {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        int auth = server.authorize(remote, req.headers());
        if (auth != ControlAuth.OK) {
            refuse(ctx, auth == ControlAuth.FORBIDDEN
                    ? new ControlError(403, "forbidden", "the control API answers loopback callers only", -1)
                    : new ControlError(401, "unauthorized", "missing or wrong bearer token or session", -1));
            return;
        }
        if (!req.method().equals(HttpMethod.POST)) {
            refuse(ctx, new ControlError(405, "method_not_allowed", PATH + " takes POST", -1));
            return;
        }
        if (!HttpUtil.isContentLengthSet(req)) {
            refuse(ctx, new ControlError(411, "length_required", "an upload must declare its Content-Length", -1));
            return;
        }
        long length = HttpUtil.getContentLength(req, -1L);
        long max = server.uploads().maxBytes();
        if (length < 0 || length > max) {
            refuse(ctx, new ControlError(413, "too_large", "the upload of " + length + " bytes exceeds the limit of "
                    + max + " bytes", -1));
            return;
        }
        List<String> names = new QueryStringDecoder(req.uri()).parameters().getOrDefault("name", List.of());
        name = names.isEmpty() ? "" : names.get(names.size() - 1);
        if (!isPlainName(name)) {
            refuse(ctx, new ControlError(400, "usage", "the upload needs a file name without '/' (name=...)", 2));
            return;
        }
        try {
            server.uploads().checkRoom(length);
            Path dir = Files.createDirectories(server.uploads().directory());
            temp = Files.createTempFile(dir, ".upload-", ".part");
            written = 0;
            file = FileChannel.open(temp, StandardOpenOption.WRITE);
        } catch (Exception e) {
            discardFile();
            refuse(ctx, server.errorOf(e));
        }
    }

    static boolean isPlainName(String name) {
        return !name.isBlank() && name.length() <= MAX_NAME_CHARS && !name.contains("/") && !name.contains("\\")
                && !name.equals(".") && !name.equals("..") && name.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }

    private void write(ChannelHandlerContext ctx, ByteBuf bytes) {
        if (refused || file == null) {
            return;
        }
        try {
            while (bytes.isReadable()) {
                written += bytes.readBytes(file, bytes.readableBytes());
            }
        } catch (IOException e) {
            discardFile();
            refuse(ctx, server.errorOf(server.uploads().writeFailed(e, written)));
        }
    }

    private void end(ChannelHandlerContext ctx) {
        active = false;
        if (refused) {
            ctx.close();
            return;
        }
        try {
            file.force(false);
            file.close();
        } catch (IOException e) {
            discardFile();
            Replies.sendError(ctx.channel(), server.errorOf(e), false);
            return;
        }
        Path received = temp;
        String given = name;
        boolean alive = keepAlive;
        file = null;
        temp = null;
        ctx.channel().config().setAutoRead(false);
        try {
            server.requestPool().execute(() -> accept(ctx, received, given, alive));
        } catch (RejectedExecutionException e) {
            deleteQuietly(received);
            Replies.sendError(ctx.channel(), new ControlError(503, "busy", "the control API has too many requests waiting;"
                    + " try again", -1), false);
        }
    }

    private void accept(ChannelHandlerContext ctx, Path received, String given, boolean alive) {
        FullHttpResponse reply;
        try {
            reply = Replies.json(200, server.uploads().accept(received, given), alive);
        } catch (Exception e) {
            deleteQuietly(received);
            ControlError error = server.errorOf(e);
            if (error.httpStatus() >= 500) {
                LOG.warn("upload of {} failed: {}", given, e.toString());
            }
            reply = Replies.json(error.httpStatus(), Replies.errorBody(error, false), alive);
        }
        Replies.send(ctx.channel(), reply, alive).addListener(f -> ControlHandler.nextRequest(ctx, alive));
    }

    /** Answers at once and drops the rest of the body; the connection closes after it. */
    private void refuse(ChannelHandlerContext ctx, ControlError error) {
        refused = true;
        FullHttpResponse r = Replies.json(error.httpStatus(), Replies.errorBody(error, false), false);
        ctx.writeAndFlush(r);
    }

    private void discardFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // the file is deleted next
            }
            file = null;
        }
        if (temp != null) {
            deleteQuietly(temp);
            temp = null;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", p, e.toString());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (active) {
            discardFile();
            active = false;
        }
        super.channelInactive(ctx);
    }
}
