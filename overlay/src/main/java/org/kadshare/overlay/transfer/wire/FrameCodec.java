package org.kadshare.overlay.transfer.wire;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;

/**
 * Encodes frames to bytes and decodes bytes to frames (docs/PROTOCOL.md, "Block transfer"). Pure:
 * no I/O, no state, no Netty. A frame is {@code u32 length || u8 type || payload}, big-endian,
 * where {@code length} counts the type byte and the payload and is at most
 * {@link Limits#MAX_FRAME_LENGTH_BYTES}.
 *
 * <p>Decoding checks every length against the bytes present before it allocates, rejects trailing
 * bytes, and throws nothing but {@link FrameException}, whatever the input.
 */
public final class FrameCodec {
    private static final int H = MerkleTree.HASH_LENGTH_BYTES;
    private static final byte[] MAGIC = Handshake.MAGIC.getBytes(StandardCharsets.US_ASCII);
    /** Handshake payload before the bitfield: magic, version, node ID, content ID, length, kind. */
    static final int HANDSHAKE_FIXED_BYTES = 4 + 1 + NodeId.LENGTH_BYTES + ContentId.LENGTH_BYTES + 8 + 1;
    /** HASHES and SPAN payload before the siblings: request ID, length, height, index, sibling count. */
    static final int PROOF_FIXED_BYTES = 4 + 8 + 1 + 8 + 1;
    private static final int REQUEST_BYTES = 4 + 1 + 8;

    private FrameCodec() {
    }

    /** The whole frame, length prefix included. */
    public static byte[] encode(Frame frame) {
        int length = frameLength(frame);
        ByteBuffer out = ByteBuffer.allocate(Limits.LENGTH_PREFIX_BYTES + length);
        writeHead(frame, length, out);
        if (frame instanceof Span s) {
            out.put(s.dataArray());
        }
        return out.array();
    }

    /**
     * The frame's bytes up to its span data: the whole frame for every type but {@link Span},
     * whose data the caller sends after these bytes (so it need not be copied).
     */
    static byte[] encodeHead(Frame frame) {
        int length = frameLength(frame);
        int bulk = frame instanceof Span s ? s.dataArray().length : 0;
        ByteBuffer out = ByteBuffer.allocate(Limits.LENGTH_PREFIX_BYTES + length - bulk);
        writeHead(frame, length, out);
        return out.array();
    }

    /**
     * The bytes of a SPAN frame answering {@code requestId} with {@code proof}, up to its data (which
     * the caller sends after them): what {@link #encodeHead} gives for a {@link Span} of that proof.
     */
    static byte[] encodeSpanHead(int requestId, SpanProof proof) {
        int headLength = 1 + proofPayloadLength(proof);
        ByteBuffer out = ByteBuffer.allocate(Limits.LENGTH_PREFIX_BYTES + headLength);
        out.putInt(Math.toIntExact(headLength + proof.spanLengthBytes()));
        out.put((byte) FrameType.SPAN.code());
        writeProof(requestId, proof, out);
        return out.array();
    }

    /** The value of the frame's length prefix: type byte plus payload. */
    public static int frameLength(Frame frame) {
        return 1 + switch (frame.type()) {
            case HANDSHAKE -> HANDSHAKE_FIXED_BYTES + ((Handshake) frame).holdings().bitfieldLength();
            case HAVE -> 2 + 16 * ((Have) frame).ranges().size();
            case GET_HASHES, GET_SPAN -> REQUEST_BYTES;
            case HASHES -> proofPayloadLength(((Hashes) frame).proof()) + ((Hashes) frame).leafHashesView().length;
            case SPAN -> proofPayloadLength(((Span) frame).proof()) + ((Span) frame).dataArray().length;
            case CANCEL -> 4;
            case ERROR -> 4 + 2 + 2 + ((ErrorFrame) frame).reason().getBytes(StandardCharsets.UTF_8).length;
            case CHOKE, UNCHOKE -> 0;
        };
    }

    /** Length prefix of a HASHES or SPAN frame with {@code proof} and no leaf hashes or data. */
    static long proofFrameLength(SpanProof proof) {
        return 1 + proofPayloadLength(proof);
    }

    private static int proofPayloadLength(SpanProof proof) {
        return PROOF_FIXED_BYTES + SpanProof.siblingCount(proof.lengthBytes(), proof.height()) * H;
    }

    private static void writeHead(Frame frame, int length, ByteBuffer out) {
        out.putInt(length);
        out.put((byte) frame.type().code());
        if (frame instanceof Handshake h) {
            out.put(MAGIC).put((byte) Handshake.VERSION).put(h.nodeId().toBytes()).put(h.contentId().toBytes());
            out.putLong(h.lengthBytes()).put((byte) h.holdings().kind().ordinal()).put(h.holdings().bitfieldView());
        } else if (frame instanceof Have h) {
            out.putShort((short) h.ranges().size());
            for (LeafRange r : h.ranges()) {
                out.putLong(r.firstLeaf()).putLong(r.count());
            }
        } else if (frame instanceof GetHashes g) {
            out.putInt(g.requestId()).put((byte) g.height()).putLong(g.index());
        } else if (frame instanceof GetSpan g) {
            out.putInt(g.requestId()).put((byte) g.height()).putLong(g.index());
        } else if (frame instanceof Hashes h) {
            writeProof(h.requestId(), h.proof(), out);
            out.put(h.leafHashesView());
        } else if (frame instanceof Span s) {
            writeProof(s.requestId(), s.proof(), out);
        } else if (frame instanceof Cancel c) {
            out.putInt(c.requestId());
        } else if (frame instanceof ErrorFrame e) {
            byte[] reason = e.reason().getBytes(StandardCharsets.UTF_8);
            out.putInt(e.requestId()).putShort((short) e.code().code()).putShort((short) reason.length).put(reason);
        }
    }

    private static void writeProof(int requestId, SpanProof proof, ByteBuffer out) {
        byte[] siblings = proof.siblingHashes();
        out.putInt(requestId).putLong(proof.lengthBytes()).put((byte) proof.height()).putLong(proof.index());
        out.put((byte) (siblings.length / H)).put(siblings);
    }

    /**
     * Checks a frame's length prefix before anything is allocated for the frame.
     *
     * @param prefix the prefix read as an unsigned 32-bit value
     * @throws FrameException with {@link ErrorCode#TOO_LARGE} above the limit, or
     *     {@link ErrorCode#BAD_REQUEST} for 0
     */
    public static int checkLength(long prefix) throws FrameException {
        if (prefix > Limits.MAX_FRAME_LENGTH_BYTES) {
            throw new FrameException(ErrorCode.TOO_LARGE, "frame length " + prefix + " exceeds the limit of "
                    + Limits.MAX_FRAME_LENGTH_BYTES + " bytes");
        }
        if (prefix < 1) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "frame length 0: a frame has at least its type byte");
        }
        return (int) prefix;
    }

    /**
     * Decodes one whole frame, length prefix included; {@code bytes} must hold exactly that frame.
     *
     * @throws FrameException naming what is wrong
     */
    public static Frame decodeFrame(byte[] bytes) throws FrameException {
        if (bytes.length < Limits.LENGTH_PREFIX_BYTES) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "truncated length prefix: " + bytes.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int length = checkLength(Integer.toUnsignedLong(in.getInt()));
        if (in.remaining() != length) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "frame length " + length + " but " + in.remaining()
                    + " bytes follow the prefix");
        }
        return decode(in);
    }

    /**
     * Decodes the body of one frame: its type byte and payload, that is the remaining bytes of
     * {@code body} (exactly the length prefix's worth). The buffer's position is moved to its limit.
     *
     * @throws FrameException naming what is wrong: an unknown type, a bad magic or version, a
     *     truncated payload, trailing bytes, or a value out of range
     */
    public static Frame decode(ByteBuffer body) throws FrameException {
        if (body.remaining() > Limits.MAX_FRAME_LENGTH_BYTES) {
            throw new FrameException(ErrorCode.TOO_LARGE, "frame of " + body.remaining() + " bytes exceeds the limit");
        }
        if (!body.hasRemaining()) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "empty frame: no type byte");
        }
        int code = body.get() & 0xFF;
        FrameType type = FrameType.ofCode(code);
        if (type == null) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "unknown frame type 0x" + Integer.toHexString(code));
        }
        try {
            Frame frame = decodePayload(type, body);
            if (body.hasRemaining()) {
                throw new FrameException(ErrorCode.BAD_REQUEST, type + " frame has " + body.remaining()
                        + " bytes after its payload");
            }
            return frame;
        } catch (BufferUnderflowException e) {
            throw new FrameException(ErrorCode.BAD_REQUEST, type + " frame is truncated");
        } catch (IllegalArgumentException e) {
            throw new FrameException(ErrorCode.BAD_REQUEST, type + " frame is invalid: " + e.getMessage());
        }
    }

    private static Frame decodePayload(FrameType type, ByteBuffer in) throws FrameException {
        return switch (type) {
            case HANDSHAKE -> decodeHandshake(in);
            case HAVE -> decodeHave(in);
            case GET_HASHES -> new GetHashes(in.getInt(), in.get() & 0xFF, in.getLong());
            case GET_SPAN -> new GetSpan(in.getInt(), in.get() & 0xFF, in.getLong());
            case HASHES -> {
                int requestId = in.getInt();
                SpanProof proof = decodeProof(in);
                long expected = proof.leafCount() * H;
                if (in.remaining() != expected) {
                    throw new FrameException(ErrorCode.BAD_REQUEST, "HASHES of span (" + proof.height() + ", "
                            + proof.index() + ") must carry " + expected + " bytes of leaf hashes, got " + in.remaining());
                }
                yield new Hashes(requestId, proof, take(in, (int) expected));
            }
            case SPAN -> {
                int requestId = in.getInt();
                SpanProof proof = decodeProof(in);
                long expected = proof.spanLengthBytes();
                if (in.remaining() != expected) {
                    throw new FrameException(ErrorCode.BAD_REQUEST, "SPAN (" + proof.height() + ", " + proof.index()
                            + ") must carry " + expected + " bytes of data, got " + in.remaining());
                }
                byte[] data = SpanArrays.shared().take((int) expected);
                in.get(data);
                yield Span.decoded(requestId, proof, data);
            }
            case CANCEL -> new Cancel(in.getInt());
            case ERROR -> {
                int requestId = in.getInt();
                ErrorCode code = ErrorCode.ofCode(in.getShort() & 0xFFFF);
                int reasonLength = in.getShort() & 0xFFFF;
                if (reasonLength > Limits.MAX_REASON_BYTES || reasonLength != in.remaining()) {
                    throw new FrameException(ErrorCode.BAD_REQUEST, "ERROR reason of " + reasonLength
                            + " bytes with " + in.remaining() + " left (limit " + Limits.MAX_REASON_BYTES + ")");
                }
                String reason = new String(take(in, reasonLength), StandardCharsets.UTF_8);
                yield requestId == ErrorFrame.CONNECTION ? ErrorFrame.connection(code, reason)
                        : ErrorFrame.request(requestId, code, reason);
            }
            case CHOKE -> new Choke();
            case UNCHOKE -> new Unchoke();
        };
    }

    /**
     * The head of a SPAN frame whose data is read apart ({@link FrameDecoder} copies it from the
     * socket's buffers straight into the span's array).
     *
     * @param requestId the request answered
     * @param proof     the span's proof
     * @param headBytes the frame's bytes before the data, type byte included, prefix excluded
     */
    record SpanHead(int requestId, SpanProof proof, int headBytes) {
        /** The data bytes that follow the head. */
        int dataBytes() {
            return (int) proof.spanLengthBytes();
        }
    }

    /**
     * Decodes the head of a SPAN frame whose length prefix is {@code length} (already checked by
     * {@link #checkLength}) from {@code in}, which starts at the type byte and holds what has
     * arrived of the frame; null while the head is not all in. The data bytes must be exactly the
     * proof's span length (at most {@link Limits#MAX_SPAN_BYTES}), as {@link #decode} requires.
     *
     * @throws FrameException if the head is malformed or the length does not fit the proof
     */
    static SpanHead decodeSpanHead(ByteBuffer in, int length) throws FrameException {
        int fixed = 1 + PROOF_FIXED_BYTES;
        if (length < fixed) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "SPAN frame is truncated");
        }
        if (in.remaining() < fixed) {
            return null;
        }
        ByteBuffer head = in.duplicate();
        head.position(head.position() + 1);
        int siblings = head.get(head.position() + PROOF_FIXED_BYTES - 1) & 0xFF;
        int headBytes = fixed + siblings * H;
        if (headBytes > length) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "SPAN frame is truncated");
        }
        if (in.remaining() < headBytes) {
            return null;
        }
        try {
            int requestId = head.getInt();
            SpanProof proof = decodeProof(head);
            RequestIds.check(requestId);
            long expected = proof.spanLengthBytes();
            if (length - headBytes != expected) {
                throw new FrameException(ErrorCode.BAD_REQUEST, "SPAN (" + proof.height() + ", " + proof.index()
                        + ") must carry " + expected + " bytes of data, got " + (length - headBytes));
            }
            if (expected > Limits.MAX_SPAN_BYTES) {
                throw new FrameException(ErrorCode.BAD_REQUEST, "SPAN frame is invalid: span (" + proof.height()
                        + ", " + proof.index() + ") is " + expected + " bytes, more than the limit of "
                        + Limits.MAX_SPAN_BYTES);
            }
            return new SpanHead(requestId, proof, headBytes);
        } catch (BufferUnderflowException e) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "SPAN frame is truncated");
        } catch (IllegalArgumentException e) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "SPAN frame is invalid: " + e.getMessage());
        }
    }

    private static Handshake decodeHandshake(ByteBuffer in) throws FrameException {
        if (in.remaining() < MAGIC.length + 1) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "HANDSHAKE is truncated before its version");
        }
        byte[] magic = take(in, MAGIC.length);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "HANDSHAKE does not start with " + Handshake.MAGIC);
        }
        int version = in.get() & 0xFF;
        if (version != Handshake.VERSION) {
            throw new FrameException(ErrorCode.UNSUPPORTED_VERSION, "protocol version " + version
                    + " is not supported; this node speaks version " + Handshake.VERSION);
        }
        NodeId nodeId = NodeId.of(take(in, NodeId.LENGTH_BYTES));
        ContentId contentId = ContentId.of(take(in, ContentId.LENGTH_BYTES));
        long lengthBytes = in.getLong();
        int kind = in.get() & 0xFF;
        if (kind >= Holdings.Kind.values().length) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "HANDSHAKE holdings kind " + kind + " is unknown");
        }
        Holdings holdings = switch (Holdings.Kind.values()[kind]) {
            case NONE -> Holdings.none();
            case COMPLETE -> Holdings.complete();
            case PARTIAL -> {
                if (lengthBytes < 0) {
                    throw new FrameException(ErrorCode.BAD_REQUEST, "HANDSHAKE with a bitfield must give the length");
                }
                long expected = Holdings.packedLength(MerkleTree.leafCount(lengthBytes));
                if (in.remaining() != expected) {
                    throw new FrameException(ErrorCode.BAD_REQUEST, "HANDSHAKE bitfield of a " + lengthBytes
                            + "-byte file is " + expected + " bytes, got " + in.remaining());
                }
                yield Holdings.partial(take(in, (int) expected));
            }
        };
        return new Handshake(nodeId, contentId, lengthBytes, holdings);
    }

    private static Have decodeHave(ByteBuffer in) throws FrameException {
        int count = in.getShort() & 0xFFFF;
        if (count < 1 || count > Limits.MAX_HAVE_RANGES || in.remaining() != 16L * count) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "HAVE of " + count + " ranges (1 to "
                    + Limits.MAX_HAVE_RANGES + ") with " + in.remaining() + " bytes of ranges");
        }
        List<LeafRange> ranges = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ranges.add(new LeafRange(in.getLong(), in.getLong()));
        }
        return new Have(ranges);
    }

    private static SpanProof decodeProof(ByteBuffer in) throws FrameException {
        long lengthBytes = in.getLong();
        int height = in.get() & 0xFF;
        long index = in.getLong();
        int siblingCount = in.get() & 0xFF;
        if (lengthBytes < 0) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "file length " + lengthBytes + " is negative");
        }
        int expected = SpanProof.siblingCount(lengthBytes, height);
        if (siblingCount != expected) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "a proof of a height-" + height + " span of a "
                    + lengthBytes + "-byte file has " + expected + " siblings, got " + siblingCount);
        }
        if (in.remaining() < siblingCount * H) {
            throw new BufferUnderflowException();
        }
        return new SpanProof(lengthBytes, height, index, take(in, siblingCount * H));
    }

    private static byte[] take(ByteBuffer in, int n) {
        if (in.remaining() < n) {
            throw new BufferUnderflowException();
        }
        byte[] bytes = new byte[n];
        in.get(bytes);
        return bytes;
    }
}
