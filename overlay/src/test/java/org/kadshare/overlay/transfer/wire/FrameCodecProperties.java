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
