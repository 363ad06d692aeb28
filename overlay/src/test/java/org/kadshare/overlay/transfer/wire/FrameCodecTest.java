package org.kadshare.overlay.transfer.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.SpanProof;

class FrameCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyFrameTypeSurvivesARoundTrip() throws FrameException {
        for (Frame frame : WireFixtures.everyFrame()) {
            byte[] encoded = FrameCodec.encode(frame);
            assertThat(encoded.length).isEqualTo(4 + FrameCodec.frameLength(frame));
            assertThat(FrameCodec.decodeFrame(encoded)).as(frame.toString()).isEqualTo(frame);
        }
    }

    @Test
    void aGetSpanEncodesToTheBytesOfTheProtocolDocument() {
        assertThat(HEX.formatHex(FrameCodec.encode(new GetSpan(7, 2, 5))))
                .isEqualTo("0000000e" + "05" + "00000007" + "02" + "0000000000000005");
    }

    @Test
    void aHandshakeEncodesToTheBytesOfTheProtocolDocument() {
        Handshake h = new Handshake(NodeId.of(new byte[20]), ContentId.of(new byte[32]), 40000,
                Holdings.partial(new byte[] {(byte) 0xA0}));
        assertThat(HEX.formatHex(FrameCodec.encode(h))).isEqualTo("00000044" + "01" + "4b535846" + "01"
                + "00".repeat(20) + "00".repeat(32) + "0000000000009c40" + "02" + "a0");
    }

    @Test
    void aHandshakeWithAnotherVersionIsRejectedAsUnsupported() {
        byte[] frame = FrameCodec.encode(WireFixtures.everyFrame().get(0));
        frame[9] = 2;
        assertRejected(frame, ErrorCode.UNSUPPORTED_VERSION, "version 2");
    }

    @Test
    void aHandshakeWithABadMagicIsRejected() {
        byte[] frame = FrameCodec.encode(WireFixtures.everyFrame().get(0));
        frame[5] = 'X';
        assertRejected(frame, ErrorCode.BAD_REQUEST, "KSXF");
    }

    @Test
    void aBitfieldWithBitsPastTheLeafCountIsRejected() {
        byte[] frame = FrameCodec.encode(WireFixtures.everyFrame().get(3));
        frame[frame.length - 1] |= 0x01;
        assertRejected(frame, ErrorCode.BAD_REQUEST, "past leaf 5");
    }

    @Test
    void aBitfieldOfTheWrongSizeIsRejected() {
        byte[] frame = FrameCodec.encode(WireFixtures.everyFrame().get(3));
        byte[] longer = grow(frame, 1);
        assertRejected(longer, ErrorCode.BAD_REQUEST, "bitfield");
    }

    @Test
    void aSpanProofWithTheWrongSiblingCountIsRejected() {
        Span span = (Span) WireFixtures.everyFrame().get(9);
        byte[] frame = FrameCodec.encode(span);
        int siblingCountAt = 4 + 1 + 4 + 8 + 1 + 8;
        frame[siblingCountAt]++;
        assertRejected(frame, ErrorCode.BAD_REQUEST, "siblings");
    }

    @Test
    void spanDataOfTheWrongLengthIsRejected() {
        byte[] frame = FrameCodec.encode(WireFixtures.everyFrame().get(9));
        assertRejected(grow(frame, 1), ErrorCode.BAD_REQUEST, "data");
        byte[] shorter = Arrays.copyOf(frame, frame.length - 1);
        ByteBuffer.wrap(shorter).putInt(0, shorter.length - 4);
        assertRejected(shorter, ErrorCode.BAD_REQUEST, "data");
    }

    @Test
    void leafHashesOfTheWrongLengthAreRejected() {
        byte[] frame = FrameCodec.encode(WireFixtures.everyFrame().get(8));
        assertRejected(grow(frame, 32), ErrorCode.BAD_REQUEST, "leaf hashes");
    }

    @Test
    void aSpanThatDoesNotExistInTheFileIsRejected() {
        byte[] frame = FrameCodec.encode(new GetSpan(1, 0, 0));
        SpanProof proof = WireFixtures.proof(WireFixtures.LENGTH_BYTES, 0, 5);
        Span last = new Span(1, proof, new byte[100]);
        byte[] encoded = FrameCodec.encode(last);
        ByteBuffer.wrap(encoded).putLong(4 + 1 + 4 + 8 + 1, 6);
        assertRejected(encoded, ErrorCode.BAD_REQUEST, "index 6");
        assertThat(frame).isNotEmpty();
    }

    @Test
    void everyTruncationOfEveryFrameIsRejected() {
        for (Frame frame : WireFixtures.everyFrame()) {
            byte[] encoded = FrameCodec.encode(frame);
            for (int cut = 0; cut < encoded.length; cut++) {
                byte[] truncated = Arrays.copyOf(encoded, cut);
                assertThatThrownBy(() -> FrameCodec.decodeFrame(truncated)).as(frame + " cut at " + cut)
                        .isInstanceOf(FrameException.class);
                if (cut >= 5) {
                    ByteBuffer.wrap(truncated).putInt(0, cut - 4);
                    assertThatThrownBy(() -> FrameCodec.decodeFrame(truncated))
                            .as(frame + " cut at " + cut + " with a matching prefix")
                            .isInstanceOf(FrameException.class);
                }
            }
        }
    }

    @Test
    void trailingBytesAfterAPayloadAreRejected() {
        for (Frame frame : WireFixtures.everyFrame()) {
            if (frame instanceof Span || frame instanceof Hashes || frame instanceof Handshake) {
                continue;
            }
            assertRejected(grow(FrameCodec.encode(frame), 1), ErrorCode.BAD_REQUEST, "");
        }
    }

    @Test
    void anOversizedLengthPrefixIsRejectedAsTooLargeBeforeAnyPayload() {
        byte[] prefix = ByteBuffer.allocate(5).putInt(Limits.MAX_FRAME_LENGTH_BYTES + 1).put((byte) 6).array();
        assertRejected(prefix, ErrorCode.TOO_LARGE, "exceeds");
        assertThatThrownBy(() -> FrameCodec.checkLength(0xFFFF_FFFFL)).isInstanceOf(FrameException.class)
                .extracting(e -> ((FrameException) e).code()).isEqualTo(ErrorCode.TOO_LARGE);
    }

    @Test
    void aZeroLengthPrefixAndAnUnknownTypeAreRejected() {
        assertRejected(new byte[] {0, 0, 0, 0}, ErrorCode.BAD_REQUEST, "length 0");
        assertRejected(new byte[] {0, 0, 0, 1, 0x7F}, ErrorCode.BAD_REQUEST, "unknown frame type");
    }

    @Test
    void requestIdZeroIsRejectedExceptOnErrors() {
        byte[] get = FrameCodec.encode(new GetSpan(1, 0, 0));
        ByteBuffer.wrap(get).putInt(5, 0);
        assertRejected(get, ErrorCode.BAD_REQUEST, "request ID 0");
        byte[] huge = FrameCodec.encode(new Cancel(1));
        ByteBuffer.wrap(huge).putInt(5, 0x8000_0000);
        assertRejected(huge, ErrorCode.BAD_REQUEST, "2147483648");
    }

    @Test
    void aHaveWithNoRangesOrTooManyIsRejected() {
        byte[] empty = {0, 0, 0, 3, 2, 0, 0};
        assertRejected(empty, ErrorCode.BAD_REQUEST, "HAVE of 0 ranges");
        ByteBuffer tooMany = ByteBuffer.allocate(4 + 3 + 16 * 257);
        tooMany.putInt(3 + 16 * 257).put((byte) 2).putShort((short) 257);
        assertRejected(tooMany.array(), ErrorCode.BAD_REQUEST, "257");
        byte[] overflowing = FrameCodec.encode(Have.of(0, 1));
        ByteBuffer.wrap(overflowing).putLong(7, Long.MAX_VALUE);
        assertRejected(overflowing, ErrorCode.BAD_REQUEST, "leaf range");
    }

    @Test
    void anErrorReasonLongerThanItsLengthOrTheLimitIsRejected() {
        byte[] frame = FrameCodec.encode(ErrorFrame.request(1, ErrorCode.BUSY, "abc"));
        ByteBuffer.wrap(frame).putShort(11, (short) 4);
        assertRejected(frame, ErrorCode.BAD_REQUEST, "reason");
    }

    @Test
    void anErrorWithAnUnknownCodeOrBadUtf8StillDecodes() throws FrameException {
        ByteBuffer b = ByteBuffer.allocate(4 + 1 + 8 + 2);
        b.putInt(11).put((byte) 8).putInt(3).putShort((short) 999).putShort((short) 2).put((byte) 0xFF).put((byte) 0xFE);
        ErrorFrame e = (ErrorFrame) FrameCodec.decodeFrame(b.array());
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN);
        assertThat(e.reason()).isEqualTo("\uFFFD\uFFFD");
    }

    @Test
    void recordsRefuseOutOfRangeValues() {
        assertThatThrownBy(() -> new GetSpan(0, 0, 0)).hasMessageContaining("request ID");
        assertThatThrownBy(() -> new GetSpan(1, 50, 0)).hasMessageContaining("height 50");
        assertThatThrownBy(() -> new Handshake(NodeId.of(new byte[20]), ContentId.of(new byte[32]), -1,
                Holdings.complete())).hasMessageContaining("must give the length");
        assertThatThrownBy(() -> new ErrorFrame(1, ErrorCode.BUSY, "x".repeat(1025))).hasMessageContaining("1024");
        assertThat(ErrorFrame.request(1, ErrorCode.BUSY, "é".repeat(2000)).reason()
                .getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Limits.MAX_REASON_BYTES);
        assertThatThrownBy(() -> new Span(1, WireFixtures.proof(WireFixtures.LENGTH_BYTES, 0, 0), new byte[3]))
                .hasMessageContaining("16384 bytes, got 3");
    }

    @Test
    void holdingsAnswerWhichLeavesAreHeld() {
        Holdings h = Holdings.partial(new byte[] {(byte) 0b1010_0000, 0x01});
        assertThat(h.has(0)).isTrue();
        assertThat(h.has(1)).isFalse();
        assertThat(h.has(2)).isTrue();
        assertThat(h.has(15)).isTrue();
        assertThat(h.has(16)).isFalse();
        assertThat(Holdings.complete().has(1_000_000)).isTrue();
        assertThat(Holdings.none().has(0)).isFalse();
    }

    private static byte[] grow(byte[] frame, int extra) {
        byte[] longer = Arrays.copyOf(frame, frame.length + extra);
        ByteBuffer.wrap(longer).putInt(0, longer.length - 4);
        return longer;
    }

    private static void assertRejected(byte[] frame, ErrorCode code, String messagePart) {
        assertThatThrownBy(() -> FrameCodec.decodeFrame(frame)).isInstanceOf(FrameException.class)
                .hasMessageContaining(messagePart)
                .extracting(e -> ((FrameException) e).code()).isEqualTo(code);
    }

    @Test
    void aDecodedSpanKeepsTheDecodersArrayWhileTheConstructorCopiesItsArgument() throws Exception {
        Span original = (Span) WireFixtures.everyFrame().get(9);
        byte[] bytes = original.data();
        Span copied = new Span(original.requestId(), original.proof(), bytes);
        bytes[0] ^= 1;
        assertThat(copied).isEqualTo(original);
        Span adopted = Span.adopting(original.requestId(), original.proof(), bytes);
        assertThat(adopted.dataArray()).isSameAs(bytes);
        Span decoded = (Span) FrameCodec.decodeFrame(FrameCodec.encode(original));
        assertThat(decoded).isEqualTo(original);
        assertThat(decoded.data()).isNotSameAs(decoded.dataArray());
        assertThatThrownBy(() -> Span.adopting(1, original.proof(), new byte[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
