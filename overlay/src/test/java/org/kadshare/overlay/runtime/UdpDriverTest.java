package org.kadshare.overlay.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.DatagramReceiver;
import org.kadshare.overlay.dht.DhtEnvironment;
import org.kadshare.overlay.krpc.KrpcCodec;

class UdpDriverTest {
    /** Generous bound so a broken driver fails the test instead of hanging it; not a speed claim. */
    private static final long WAIT_SECONDS = 10;
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    /** Records each datagram with the thread it arrived on. */
    private record Arrival(InetSocketAddress from, String text, Thread thread) {
    }

    private UdpDriver start(DatagramReceiverFactory factory) throws Exception {
        UdpDriver driver = UdpDriver.start(LOOPBACK_ANY_PORT, factory::create);
        toClose.add(driver);
        return driver;
    }

    private interface DatagramReceiverFactory {
        DatagramReceiver create(DhtEnvironment env);
    }

    private static DatagramReceiver recordingInto(BlockingQueue<Arrival> queue) {
        return (from, bytes) -> queue.add(new Arrival(from, new String(bytes, StandardCharsets.UTF_8),
                Thread.currentThread()));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private DatagramSocket plainSocket() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        toClose.add(s);
        return s;
    }

    private static void sendPlain(DatagramSocket s, byte[] bytes, InetSocketAddress to) throws Exception {
        s.send(new DatagramPacket(bytes, bytes.length, to));
    }

    private static Arrival next(BlockingQueue<Arrival> queue) throws InterruptedException {
        Arrival a = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(a).as("a datagram should have arrived").isNotNull();
        return a;
    }

    @Test
    void twoDriversExchangeDatagramsAndReceiversRunOnTheLoopThread() throws Exception {
        UdpDriver echo = start(env -> (from, bytes) -> env.send(from, bytes));
        BlockingQueue<Arrival> replies = new LinkedBlockingQueue<>();
        UdpDriver client = start(env -> recordingInto(replies));

        client.send(echo.localAddress(), utf8("hello"));
        client.send(echo.localAddress(), utf8("again"));

        Arrival first = next(replies);
        Arrival second = next(replies);
        assertThat(List.of(first.text(), second.text())).containsExactlyInAnyOrder("hello", "again");
        assertThat(first.from()).isEqualTo(echo.localAddress());
        Thread loopThread = client.submit(Thread::currentThread).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(first.thread()).isSameAs(loopThread);
        assertThat(echo.counters().datagramsReceived()).isEqualTo(2);
        assertThat(client.counters().datagramsSent()).isEqualTo(2);
    }

    @Test
    void aUdpProbeGoesOutFromAnotherPortThanTheDriversAndTakesTheAnswerOfItsTarget() throws Exception {
        BlockingQueue<Arrival> seen = new LinkedBlockingQueue<>();
        UdpDriver target = start(env -> (from, bytes) -> {
            seen.add(new Arrival(from, new String(bytes, StandardCharsets.UTF_8), Thread.currentThread()));
            env.send(from, utf8("pong"));
        });
        UdpDriver prober = start(env -> (from, bytes) -> { });
        CompletableFuture<Optional<byte[]>> answer = new CompletableFuture<>();
        prober.probeUdp(target.localAddress(), utf8("ping"), 5_000, answer::complete);
        assertThat(answer.get(WAIT_SECONDS, TimeUnit.SECONDS)).hasValueSatisfying(
                b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("pong"));
        Arrival ping = next(seen);
        assertThat(ping.text()).isEqualTo("ping");
        assertThat(ping.from().getAddress()).isEqualTo(prober.localAddress().getAddress());
        assertThat(ping.from().getPort()).as("not the driver's own port").isNotEqualTo(prober.localAddress().getPort());
        assertThat(prober.counters().datagramsReceived()).as("the answer did not reach the DHT's socket").isZero();
    }

    @Test
    void aUdpProbeWhoseFirstPingIsLostIsAnsweredByItsNextOne() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        UdpDriver target = start(env -> (from, bytes) -> {
            seen.add(new String(bytes, StandardCharsets.UTF_8));
            if (seen.size() > 1) {
                env.send(from, utf8("pong"));
            }
        });
        UdpDriver prober = start(env -> (from, bytes) -> { });
        CompletableFuture<Optional<byte[]>> answer = new CompletableFuture<>();

        prober.probeUdp(target.localAddress(), utf8("ping"), 2_000, answer::complete);

        assertThat(answer.get(WAIT_SECONDS, TimeUnit.SECONDS)).hasValueSatisfying(
                b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("pong"));
        assertThat(seen).containsExactly("ping", "ping");
    }

    @Test
    void aUdpProbeOfAPortThatNeverAnswersEndsEmpty() throws Exception {
        DatagramSocket silent = plainSocket();
        UdpDriver prober = start(env -> (from, bytes) -> { });
        CompletableFuture<Optional<byte[]>> answer = new CompletableFuture<>();
        prober.probeUdp((InetSocketAddress) silent.getLocalSocketAddress(), utf8("ping"), 200, answer::complete);
        assertThat(answer.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void aDriverBoundToOneAddressIsReachedAtItTowardEveryPeer() throws Exception {
        UdpDriver driver = start(env -> (from, bytes) -> { });
        assertThat(driver.localAddressToward(new InetSocketAddress("127.0.0.9", 4870)))
                .isEqualTo(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void aWildcardDriverIsReachedAtTheSourceAddressItsRouteToThePeerPicks() throws Exception {
        UdpDriver driver = UdpDriver.start(new InetSocketAddress("0.0.0.0", 0), env -> (from, bytes) -> { });
        toClose.add(driver);
        InetAddress local = driver.localAddressToward(new InetSocketAddress("127.0.0.9", 4870));
        assertThat(local).isNotNull();
        assertThat(local.isLoopbackAddress()).as(local.toString()).isTrue();
    }

    @Test
    void ephemeralPortIsResolvedToTheRealPort() throws Exception {
        UdpDriver driver = start(env -> (from, bytes) -> { });

        assertThat(driver.localAddress().getPort()).isPositive();
        assertThat(driver.localAddress().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void receiverThatThrowsDoesNotStopLaterDatagrams() throws Exception {
        BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
        DatagramReceiver recording = recordingInto(arrivals);
        UdpDriver driver = start(env -> (from, bytes) -> {
            if (new String(bytes, StandardCharsets.UTF_8).equals("boom")) {
                throw new IllegalStateException("receiver bug");
            }
            recording.receive(from, bytes);
        });
        DatagramSocket peer = plainSocket();

        sendPlain(peer, utf8("boom"), driver.localAddress());
        sendPlain(peer, utf8("boom"), driver.localAddress());
        sendPlain(peer, utf8("ok"), driver.localAddress());

        assertThat(next(arrivals).text()).isEqualTo("ok");
        assertThat(driver.counters().receiverFailures()).isEqualTo(2);
    }

    @Test
    void oversizedDatagramsAreDroppedAndCounted() throws Exception {
        BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
        UdpDriver driver = start(env -> recordingInto(arrivals));
        DatagramSocket peer = plainSocket();

        sendPlain(peer, new byte[KrpcCodec.MAX_DATAGRAM_BYTES + 1], driver.localAddress());
        sendPlain(peer, utf8("small"), driver.localAddress());

        assertThat(next(arrivals).text()).isEqualTo("small");
        assertThat(driver.counters().droppedOversize()).isEqualTo(1);
        assertThat(arrivals).isEmpty();
    }

    /** What the system lets a socket ask for: {@code net.core.rmem_max}, or 0 where it cannot be read. */
    private static int systemReceiveBufferCap() {
        try {
            // Read as lines: procfs reports a size of 0, which Files.readString takes at its word.
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Test
    void theSocketGetsTheLargerReceiveBufferItAsksForUpToWhatTheSystemAllows() throws Exception {
        UdpDriver driver = start(env -> (from, bytes) -> { });

        assertThat(driver.receiveBufferBytes())
                .isGreaterThanOrEqualTo(Math.min(UdpDriver.RECEIVE_BUFFER_BYTES, systemReceiveBufferCap()));
    }

    @Test
    void datagramOfExactlyTheLimitIsDelivered() throws Exception {
        BlockingQueue<byte[]> arrivals = new LinkedBlockingQueue<>();
        UdpDriver driver = start(env -> (from, bytes) -> arrivals.add(bytes));

        sendPlain(plainSocket(), new byte[KrpcCodec.MAX_DATAGRAM_BYTES], driver.localAddress());

        assertThat(arrivals.poll(WAIT_SECONDS, TimeUnit.SECONDS)).hasSize(KrpcCodec.MAX_DATAGRAM_BYTES);
    }

    @Test
    void scheduledTasksRunOnTheLoopThreadAndCancelledOnesDoNot() throws Exception {
        UdpDriver driver = start(env -> (from, bytes) -> { });
        CompletableFuture<Boolean> ranOnLoop = new CompletableFuture<>();
        CompletableFuture<Boolean> cancelledRan = new CompletableFuture<>();

        DhtEnvironment.Cancellable cancelled = driver.schedule(20, () -> cancelledRan.complete(true));
        cancelled.cancel();
        driver.schedule(50, () -> ranOnLoop.complete(driver.inLoop()));

        assertThat(ranOnLoop.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(cancelledRan).isNotDone();
    }

    @Test
    void coreIsBuiltOnTheLoopThreadAndMayUseRandomThere() throws Exception {
        CompletableFuture<Boolean> builtOnLoop = new CompletableFuture<>();
        UdpDriver driver = start(env -> {
            env.random().nextLong();
            builtOnLoop.complete(((UdpDriver) env).inLoop());
            return (from, bytes) -> { };
        });

        assertThat(builtOnLoop.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(driver::random).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loop thread");
    }

    @Test
    void failingScheduledTaskIsCountedAndLaterTasksStillRun() throws Exception {
        UdpDriver driver = start(env -> (from, bytes) -> { });
        CompletableFuture<Boolean> later = new CompletableFuture<>();

        driver.schedule(0, () -> {
            throw new IllegalStateException("task bug");
        });
        driver.schedule(20, () -> later.complete(true));

        assertThat(later.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(driver.counters().taskFailures()).isEqualTo(1);
    }

    @Test
    void submitReturnsTheResultOrTheFailure() throws Exception {
        UdpDriver driver = start(env -> (from, bytes) -> { });

        assertThat(driver.submit(() -> 42).get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(42);
        assertThatThrownBy(() -> driver.submit(() -> {
            throw new IllegalArgumentException("user call failed");
        }).get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeReleasesThePortAndIsIdempotent() throws Exception {
        UdpDriver first = UdpDriver.start(LOOPBACK_ANY_PORT, env -> (from, bytes) -> { });
        InetSocketAddress bound = first.localAddress();

        first.close();
        first.close();

        try (UdpDriver second = UdpDriver.start(bound, env -> (from, bytes) -> { })) {
            assertThat(second.localAddress()).isEqualTo(bound);
        }
    }

    @Test
    void afterCloseSendsAreDroppedAndSubmitsFail() throws Exception {
        UdpDriver driver = UdpDriver.start(LOOPBACK_ANY_PORT, env -> (from, bytes) -> { });
        driver.close();

        driver.send(new InetSocketAddress("127.0.0.1", 9), utf8("late"));

        assertThat(driver.counters().sendFailures()).isEqualTo(1);
        assertThat(driver.submit(() -> 1)).isCompletedExceptionally();
        driver.schedule(10, () -> { }).cancel();
    }

    @Test
    void bindingAPortInUseFailsNamingTheAddress() throws Exception {
        DatagramSocket taken = plainSocket();
        InetSocketAddress address = (InetSocketAddress) taken.getLocalSocketAddress();

        assertThatThrownBy(() -> UdpDriver.start(address, env -> (from, bytes) -> { }))
                .isInstanceOf(BindException.class)
                .hasMessageContaining("127.0.0.1:" + address.getPort());
    }

    @Test
    void sendingAnOversizedDatagramIsACallerBug() throws Exception {
        UdpDriver driver = start(env -> (from, bytes) -> { });

        assertThatThrownBy(() -> driver.send(driver.localAddress(), new byte[KrpcCodec.MAX_DATAGRAM_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over the limit");
    }

    @Test
    void failingCoreFactoryFailsStartAndFreesThePort() throws Exception {
        DatagramSocket probe = plainSocket();
        InetSocketAddress address = (InetSocketAddress) probe.getLocalSocketAddress();
        probe.close();

        assertThatThrownBy(() -> UdpDriver.start(address, env -> {
            throw new IllegalStateException("core could not start");
        })).isInstanceOf(IllegalStateException.class).hasMessage("core could not start");

        try (UdpDriver again = UdpDriver.start(address, env -> (from, bytes) -> { })) {
            assertThat(again.localAddress()).isEqualTo(address);
        }
    }
}
