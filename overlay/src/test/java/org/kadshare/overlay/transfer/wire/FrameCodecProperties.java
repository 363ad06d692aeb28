package org.kadshare.overlay.transfer.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.assertj.core.api.Assertions;

class FrameCodecProperties {
    private static final List<byte[]> VALID = WireFixtures.everyFrame().stream().map(FrameCodec::encode).toList();

    @Property(tries = 2000)
    void randomBytesNeverThrowAnythingButFrameException(@ForAll @Size(max = 200) byte[] bytes) {
        decodeOrReject(bytes);
    }

    @Property(tries = 2000)
    void randomBodiesWithAValidTypeNeverThrowAnythingButFrameException(
            @ForAll @IntRange(min = 1, max = 10) int type, @ForAll @Size(max = 200) byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(5 + payload.length);
        frame.putInt(1 + payload.length).put((byte) type).put(payload);
        decodeOrReject(frame.array());
    }

    @Property(tries = 3000)
    void mutatedValidFramesNeverThrowAnythingButFrameException(
            @ForAll("validFrames") byte[] valid,
            @ForAll @IntRange(min = 0, max = 100_000) int position,
            @ForAll byte replacement,
            @ForAll @IntRange(min = 0, max = 3) int mutation,
            @ForAll boolean fixPrefix) {
        int at = position % valid.length;
        byte[] mutated = switch (mutation) {
            case 0 -> Arrays.copyOf(valid, at);
            case 1 -> {
                byte[] b = valid.clone();
                b[at] = replacement;
                yield b;
            }
            case 2 -> {
                byte[] b = new byte[valid.length + 1];
                System.arraycopy(valid, 0, b, 0, at);
                b[at] = replacement;
                System.arraycopy(valid, at, b, at + 1, valid.length - at);
                yield b;
            }
            default -> {
                byte[] b = new byte[valid.length - 1];
                System.arraycopy(valid, 0, b, 0, at);
                System.arraycopy(valid, at + 1, b, at, valid.length - at - 1);
                yield b;
            }
        };
        if (fixPrefix && mutated.length >= 4) {
            ByteBuffer.wrap(mutated).putInt(0, mutated.length - 4);
        }
        Frame decoded = decodeOrReject(mutated);
        if (decoded != null && !(decoded instanceof ErrorFrame)) {
            Assertions.assertThat(FrameCodec.encode(decoded)).hasSize(mutated.length);
        }
    }

    /**
     * A downloader's decoder reads a SPAN's head apart and copies its data as it arrives; whatever
     * the bytes and however they are cut, it gives what the whole-frame decoder gives: the same
     * frame, or a refusal.
     */
    @Property(tries = 2000)
    void theStreamingDecoderAgreesWithTheWholeFrameDecoderOnMutatedFrames(
            @ForAll("validFrames") byte[] valid,
            @ForAll @IntRange(min = 0, max = 100_000) int position,
            @ForAll byte replacement,
            @ForAll @IntRange(min = 1, max = 300) int piece) {
        byte[] mutated = valid.clone();
        int at = 4 + position % (valid.length - 4);
        mutated[at] = replacement;
        Frame whole = decodeOrReject(mutated);
        io.netty.channel.embedded.EmbeddedChannel in =
                new io.netty.channel.embedded.EmbeddedChannel(new FrameDecoder(new SpanArrays(1L << 20)));
        boolean refused = false;
        for (int from = 0; from < mutated.length && !refused; from += piece) {
            try {
                in.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(mutated, from,
                        Math.min(piece, mutated.length - from)));
            } catch (io.netty.handler.codec.DecoderException e) {
                Assertions.assertThat(FrameDecoder.frameException(e)).isNotNull();
                refused = true;
            }
        }
        Object streamed = in.readInbound();
        in.finishAndReleaseAll();
        if (whole == null) {
            Assertions.assertThat(refused).as("refused by the whole-frame decoder").isTrue();
        } else {
            Assertions.assertThat(refused).isFalse();
            Assertions.assertThat(streamed).isEqualTo(whole);
        }
    }

    @Provide
    Arbitrary<byte[]> validFrames() {
        return Arbitraries.of(VALID);
    }

    private static Frame decodeOrReject(byte[] bytes) {
        try {
            return FrameCodec.decodeFrame(bytes);
        } catch (FrameException e) {
            Assertions.assertThat(e.code()).isNotNull();
            Assertions.assertThat(e.getMessage()).isNotBlank();
            return null;
        }
    }
}
