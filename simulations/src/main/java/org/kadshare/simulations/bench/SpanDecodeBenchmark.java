package org.kadshare.simulations.bench;

import static org.kadshare.simulations.bench.BenchArgs.cpuSecondsPerGib;
import static org.kadshare.simulations.bench.BenchArgs.median;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.kadshare.overlay.transfer.wire.FrameCodec;
import org.kadshare.overlay.transfer.wire.FrameDecoder;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;

/**
 * The getter's decoding of SPAN frames, in CPU time of the decoding thread: the stream of 1 MiB
 * SPAN frames arrives in pooled direct buffers of {@code --read} bytes (as socket reads or a TLS
 * handler's output do) and goes through {@link FrameDecoder} on an {@code EmbeddedChannel},
 * each decoded span recycled as a download does once it is written; against, alternating in
 * the same run, a reference decoder that gathers each whole frame in Netty's cumulation buffer
 * and then decodes it with {@link FrameCodec#decode} (what {@code FrameDecoder} did before it
 * copied a span's data straight into the span's array). The copy of the bytes into the read
 * buffers is timed in both. Prints CPU-s per GiB per round and the medians.
 *
 * <p>Run: {@code mvn -B -q -pl simulations -am package -DskipTests && java -cp
 * simulations/target/kadshare-simulations.jar org.kadshare.simulations.bench.SpanDecodeBenchmark
 * --size 512m --rounds 5 --read 64k}. Flags: {@code --size N[k|m|g]} (default 512m, whole MiB),
 * {@code --rounds N} (default 5), {@code --read N[k|m]} (default 64k).
 */
public final class SpanDecodeBenchmark {
    private static final int L = MerkleTree.LEAF_SIZE_BYTES;
    private static final int HEIGHT = 6;
    private static final int SPAN = L << HEIGHT;
    /** Distinct frames encoded (64 MiB); the stream repeats them. */
    private static final int FRAMES = 64;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SpanDecodeBenchmark() {
    }

    public static void main(String[] args) {
        long size = 512L << 20;
        int rounds = 5;
        int read = 64 << 10;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println("usage: SpanDecodeBenchmark [--size N[k|m|g]] [--rounds N] [--read N[k|m]]");
                return;
            }
            if (i + 1 >= args.length) {
                fail("flag " + args[i] + " needs a value");
            }
            try {
                switch (args[i]) {
                    case "--size" -> size = BenchArgs.parseSize(args[i], args[++i]);
                    case "--rounds" -> rounds = BenchArgs.parseCount(args[i], args[++i], 1);
                    case "--read" -> read = Math.toIntExact(BenchArgs.parseSize(args[i], args[++i]));
                    default -> fail("unknown flag " + args[i] + " (try --help)");
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                fail(e.getMessage());
            }
        }
        if (size < SPAN || size % SPAN != 0 || read < 1) {
            fail("--size must be a whole number of MiB and --read at least 1 byte");
        }
        List<byte[]> frames = frames();
        long spans = size / SPAN;
        System.out.printf(Locale.ROOT, "%d MiB of SPAN frames of %d KiB, reads of %d KiB, %d rounds, %d cores%n",
                size >> 20, SPAN >> 10, read >> 10, rounds, Runtime.getRuntime().availableProcessors());
        List<Double> ours = new ArrayList<>();
        List<Double> gathering = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double a = cpuSecondsPerGib(size, decode(frames, spans, read, FrameDecoder::new));
            double b = cpuSecondsPerGib(size, decode(frames, spans, read, WholeFrameDecoder::new));
            ours.add(a);
            gathering.add(b);
            System.out.printf(Locale.ROOT, "round %d: FrameDecoder %.3f, gathering whole frames %.3f CPU-s/GiB%n",
                    r + 1, a, b);
        }
        System.out.printf(Locale.ROOT,
                "median: FrameDecoder %.3f, gathering whole frames %.3f CPU-s/GiB (ratio %.2f)%n",
                median(ours), median(gathering), median(ours) / median(gathering));
    }

    private static List<byte[]> frames() {
        long fileLength = (long) FRAMES * SPAN;
        byte[] data = new byte[SPAN];
        SplittableRandom random = new SplittableRandom(1);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            random.nextBytes(data);
            byte[] siblings = new byte[SpanProof.siblingCount(fileLength, HEIGHT) * MerkleTree.HASH_LENGTH_BYTES];
            frames.add(FrameCodec.encode(new Span(i + 1, new SpanProof(fileLength, HEIGHT, i, siblings), data)));
        }
        return frames;
    }

    /** CPU nanoseconds of this thread to decode {@code spans} frames arriving in reads of {@code read} bytes. */
    private static long decode(List<byte[]> frames, long spans, int read, Supplier<ByteToMessageDecoder> decoder) {
        PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        EmbeddedChannel channel = new EmbeddedChannel(decoder.get());
        long decoded = 0;
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        int frame = 0;
        int offset = 0;
        for (long s = 0; s < spans; ) {
            ByteBuf buf = alloc.directBuffer(read);
            while (buf.isWritable() && s < spans) {
                byte[] f = frames.get(frame);
                int n = Math.min(buf.writableBytes(), f.length - offset);
                buf.writeBytes(f, offset, n);
                offset += n;
                if (offset == f.length) {
                    offset = 0;
                    frame = (frame + 1) % frames.size();
                    s++;
                }
            }
            channel.writeInbound(buf);
            for (Object o; (o = channel.readInbound()) != null; ) {
                ((Span) o).recycle();
                decoded++;
            }
        }
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        channel.finishAndReleaseAll();
        if (decoded != spans) {
            throw new IllegalStateException("decoded " + decoded + " of " + spans + " spans");
        }
        return cpu;
    }

    /** The reference: each frame gathered whole in the cumulation buffer, then decoded from there. */
    private static final class WholeFrameDecoder extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (in.readableBytes() < 4) {
                return;
            }
            int length = in.getInt(in.readerIndex());
            if (in.readableBytes() < 4 + length) {
                return;
            }
            out.add(FrameCodec.decode(in.nioBuffer(in.readerIndex() + 4, length)));
            in.skipBytes(4 + length);
        }
    }

    private static void fail(String message) {
        System.err.println("SpanDecodeBenchmark: " + message);
        System.exit(2);
    }
}
