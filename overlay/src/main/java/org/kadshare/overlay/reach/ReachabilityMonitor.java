package org.kadshare.overlay.reach;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.kadshare.overlay.dht.ConnectBackResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out whether the node can be reached and makes it so where the router allows: every
 * {@link #CHECK_MILLIS} it reads the address the peers see (the DHT's vote); once that is not an
 * address of this host, a NAT is in between, and with port mapping on it asks the gateway for
 * mappings of the block and DHT ports ({@link PortMapper}) and keeps them renewed, by the first of
 * {@link ReachOptions#methods()} the gateway answers: PCP; NAT-PMP when the gateway does not
 * speak PCP (no answer, or an answer of another version: PCP's version negotiation); UPnP-IGD
 * when it never answers NAT-PMP either. A gateway that answers a method, even to refuse, is asked
 * by that method only; one found to speak none is asked all again at the mapper's pace. The block
 * port to announce is then the router's external one; a change of it calls
 * {@code onMappingChanged} (the node announces again). Then, and every {@link #RECHECK_MILLIS},
 * it asks a few peers to connect back to the announced port (connect_back), so the status says
 * what the peers found, not only what the node guesses. One daemon thread, for the blocking
 * NAT-PMP exchanges.
 */
public final class ReachabilityMonitor implements AutoCloseable {
    /** How often the peers' view is read until a mapping is asked for. */
    static final long CHECK_MILLIS = 2_000;
    /** While the vote is undecided, a lookup every this many checks (10 s) finds more voters. */
    static final int SOLICIT_EVERY_CHECKS = 5;
    /** How often the peers are asked again to connect back. */
    static final long RECHECK_MILLIS = 10 * 60_000;
    /**
     * Wait before asking again when no peer answered the last connect_back (none known yet, as
     * at an early mapping, or none answering); it doubles while none answers, up to
     * {@link #RECHECK_MILLIS}.
     */
    static final long UNANSWERED_RECHECK_MILLIS = 3_000;
    /** Peers asked to connect back each time. */
    public static final int CHECKING_PEERS = 3;

    /** Asks peers to connect back to this node at a TCP port and to ping it at a UDP port. */
    public interface ConnectBack {
        /** The peers' answers for TCP {@code port} and UDP {@code udpPort}. */
        CompletableFuture<ConnectBackResult> ask(int port, int udpPort);
    }

    /** The last connect_back check: the ports asked about and what the peers said. */
    private record Check(int port, int udpPort, ConnectBackResult result) {}
    private static final Logger LOG = LoggerFactory.getLogger(ReachabilityMonitor.class);
    /** Fills PCP's mapping nonces. */
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ReachOptions options;
    private final int tcpPort;
    private final int udpPort;
    private final Supplier<CompletableFuture<Optional<InetSocketAddress>>> seenAs;
    private final Runnable onMappingChanged;
    private final ConnectBack connectBack;
    private final Runnable solicit;
    private final java.util.function.BooleanSupplier privateAddress;
    private final GatewayPorts gatewayPorts;
    private final ScheduledExecutorService executor;
    private int undecidedChecks;
    private boolean triedEarlyMapping;
    private boolean verifying;
    private long unansweredRecheckMillis = UNANSWERED_RECHECK_MILLIS;
    private boolean unansweredRecheckPending;
    /** Whether the block port was mapped at the last refresh: a new mapping is checked again. */
    private boolean tcpMapped;
    private volatile Check lastCheck;
    private volatile PortMapper mapper;
    /** Which of {@link ReachOptions#methods()} {@link #mapper} asks by (on the monitor's thread only). */
    private int mapperMethod = -1;
    /** The router asked, once mapping started (on the monitor's thread only). */
    private InetAddress gateway;
    /**
     * Why the methods tried before the one in {@link #mapper} gave no mapping (they did not
     * answer), as "PCP: ...; ", as found when that one was chosen; empty when the first answered.
     */
    private volatile String earlierProblems = "";
    /** Why no UPnP-IGD was found, when it was searched for last; empty otherwise. */
    private volatile String upnpProblem = "";
    /** Why UPnP-IGD, tried after the method in {@link #mapper}, was not found: "; UPnP-IGD: ..."; or empty. */
    private volatile String laterProblems = "";
    /** Whether no method answered at the last refresh: the next one asks them all again, in order. */
    private boolean noMethodAnswered;
    private volatile String problem = "";
    private volatile int announcedTcpPort;

    private ReachabilityMonitor(ReachOptions options, int tcpPort, int udpPort,
            Supplier<CompletableFuture<Optional<InetSocketAddress>>> seenAs, ConnectBack connectBack,
            Runnable solicit, Runnable onMappingChanged, java.util.function.BooleanSupplier privateAddress,
            GatewayPorts gatewayPorts) {
        this.solicit = solicit;
        this.gatewayPorts = gatewayPorts;
        this.privateAddress = privateAddress;
        this.options = options;
        this.tcpPort = tcpPort;
        this.udpPort = udpPort;
        this.seenAs = seenAs;
        this.onMappingChanged = onMappingChanged;
        this.connectBack = connectBack;
        this.announcedTcpPort = tcpPort;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kadshare-reach");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts watching: {@code seenAs} gives the DHT's view of this node, {@code solicit} asks more
     * peers for it (a lookup: every answer votes) while it is undecided, {@code connectBack} asks
     * peers to connect to it, {@code onMappingChanged} runs (on the monitor's thread) when the
     * block port to announce changes. With {@link ReachOptions#mapPorts()} off it only reports
     * what the peers see, asking nothing of the router and no peer to connect back; while the
     * vote is undecided it still runs {@code solicit}, so that the node learns its address.
     */
    public static ReachabilityMonitor start(ReachOptions options, int tcpPort, int udpPort,
            Supplier<CompletableFuture<Optional<InetSocketAddress>>> seenAs, ConnectBack connectBack,
            Runnable solicit, Runnable onMappingChanged) {
        return start(options, tcpPort, udpPort, seenAs, connectBack, solicit, onMappingChanged,
                ReachabilityMonitor::hasPrivateAddress, GatewayPorts.STANDARD);
    }

    /**
     * {@link #start}, with {@code privateAddress} telling whether this host has a private address
     * and the gateway's ports to ask (tests give their fake routers' ports).
     */
    static ReachabilityMonitor start(ReachOptions options, int tcpPort, int udpPort,
            Supplier<CompletableFuture<Optional<InetSocketAddress>>> seenAs, ConnectBack connectBack,
            Runnable solicit, Runnable onMappingChanged, java.util.function.BooleanSupplier privateAddress,
            GatewayPorts gatewayPorts) {
        ReachabilityMonitor m = new ReachabilityMonitor(options, tcpPort, udpPort, seenAs, connectBack, solicit,
                onMappingChanged, privateAddress, gatewayPorts);
        m.executor.schedule(options.mapPorts() ? m::check : m::watchVote, CHECK_MILLIS, TimeUnit.MILLISECONDS);
        return m;
    }

    /** The block port peers should connect to: the router's external one while it is mapped. */
    public int announcedTcpPort() {
        return announcedTcpPort;
    }

    /** How this node can be reached, given the address the peers see it at. */
    public Reachability status(Optional<InetSocketAddress> seen) {
        Reachability guess = guess(seen);
        Check c = lastCheck;
        if (c == null || c.result().answered() == 0 || c.port() != announcedTcpPort) {
            return guess;
        }
        String checked = c.result().reached() + " of " + c.result().answered() + " peers asked could connect to port "
                + c.port() + udpChecked(c);
        if (c.result().reached() > 0) {
            Reachability.How how = guess.how() == Reachability.How.UNREACHABLE ? Reachability.How.FORWARDED : guess.how();
            String detail = how == Reachability.How.FORWARDED
                    ? "behind a NAT whose router forwards port " + c.port() + " to this host (not a mapping of ours)"
                    : guess.detail();
            return new Reachability(how, seen, guess.tcp(), guess.udp(), detail + "; checked: " + checked);
        }
        String why = guess.how() == Reachability.How.UNREACHABLE ? guess.detail() : "peers cannot connect";
        return new Reachability(Reachability.How.UNREACHABLE, seen, guess.tcp(), guess.udp(), why + "; checked: "
                + checked);
    }

    /**
     * What the pings of the DHT's port from other ports than the peers' own found: whether
     * datagrams nobody asked for reach the DHT (a NAT lets in only answers to what went out).
     */
    private static String udpChecked(Check c) {
        ConnectBackResult r = c.result();
        if (r.udpAnswered() == 0) {
            return "";
        }
        return "; udp " + (r.udpReached() > 0 ? "reachable" : "not reachable") + ": " + r.udpReached() + " of "
                + r.udpAnswered() + " peers' pings from another port got in at port " + c.udpPort();
    }

    /** What the peers' view and the router's answers suggest, before any peer connected back. */
    private Reachability guess(Optional<InetSocketAddress> seen) {
        PortMapper m = mapper;
        Optional<ActiveMapping> tcp = m == null ? Optional.empty() : m.mapping(MappingProtocol.TCP);
        Optional<ActiveMapping> udp = m == null ? Optional.empty() : m.mapping(MappingProtocol.UDP);
        if (tcp.isPresent()) {
            String external = m.externalAddress().map(InetAddress::getHostAddress)
                    .or(() -> seen.map(s -> s.getAddress().getHostAddress())).orElse("?");
            return new Reachability(Reachability.How.MAPPED, seen, tcp, udp, m.method() + " on " + m.gateway() + " maps "
                    + external + ":" + tcp.get().externalPort() + " (TCP)"
                    + udp.map(u -> " and " + external + ":" + u.externalPort() + " (UDP)").orElse("")
                    + " to this host; renewed " + m.renewals() + " times");
        }
        if (seen.isEmpty()) {
            return new Reachability(Reachability.How.UNKNOWN, seen, tcp, udp, "fewer than "
                    + ExternalAddressVote.MIN_VOTERS + " peers in distinct /24 subnets agree how they see this node");
        }
        if (isLocal(seen.get().getAddress())) {
            return new Reachability(Reachability.How.PUBLIC, seen, tcp, udp, "peers see this host's own address");
        }
        String why;
        if (!options.mapPorts()) {
            why = "port mapping is off";
        } else if (m != null && !m.problem().isEmpty()) {
            why = "port mapping failed: " + earlierProblems + m.method() + ": " + m.problem() + laterProblems;
        } else if (!problem.isEmpty()) {
            why = problem;
        } else {
            why = "no port mapping yet";
        }
        return new Reachability(Reachability.How.UNREACHABLE, seen, tcp, udp,
                "behind a NAT (peers see " + seen.get().getAddress().getHostAddress() + "); " + why);
    }

    private Optional<InetSocketAddress> seen() {
        try {
            return seenAs.get().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /**
     * While the vote is undecided, asks more peers for it ({@link #solicit}) every
     * {@link #SOLICIT_EVERY_CHECKS} checks: answers come only to queries this node sends, and a
     * node that joined through a peer that knew few others (several nodes starting at once) may
     * send none for minutes, so its status would say "unknown" and its gets would take it for
     * reachable (they try relayed holders through reverse connections that cannot come).
     */
    private void solicitWhileUndecided() {
        if (undecidedChecks++ % SOLICIT_EVERY_CHECKS == 0) {
            try {
                solicit.run();
            } catch (RuntimeException e) {
                LOG.debug("asking more peers for our address failed: {}", e.toString());
            }
        }
    }

    /** With port mapping off: every {@link #CHECK_MILLIS}, more voters while the vote is undecided, nothing else. */
    private void watchVote() {
        if (seen().isEmpty()) {
            solicitWhileUndecided();
        }
        executor.schedule(this::watchVote, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void check() {
        Optional<InetSocketAddress> seen = seen();
        if (seen.isEmpty()) {
            if (!triedEarlyMapping && privateAddress.getAsBoolean()) {
                triedEarlyMapping = true;
                startMapping("this host has a private address (the peers' view is not decided yet)");
                if (gateway != null) {
                    verifyEvery();
                }
            }
            solicitWhileUndecided();
            executor.schedule(this::check, CHECK_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        if (!isLocal(seen.get().getAddress()) && gateway == null) {
            startMapping("behind a NAT (peers see " + seen.get() + ")");
        }
        verifyEvery();
    }

    /**
     * Asks the default gateway (or the configured one) for the mappings and keeps them renewed;
     * without a gateway it only records why not. A host with a private address asks at once,
     * without waiting for the peers' view of it (as home routers are what NAT-PMP is for): the
     * vote needs answers from two /24 subnets, which a small network may be slow to give.
     */
    private void startMapping(String why) {
        Optional<InetAddress> gateway = options.gateway().or(() -> DefaultGateway.find().map(g -> g));
        if (gateway.isEmpty()) {
            problem = "no default gateway found to ask for a port mapping (set one)";
            LOG.info("{}: {}", why, problem);
            return;
        }
        this.gateway = gateway.get();
        noMethodAnswered = true; // none asked yet
        LOG.info("{}: asking {} for port mappings", why, gateway.get().getHostAddress());
        refresh();
    }

    /** Whether an interface of this host has a private IPv4 address (RFC 1918), as behind a home router. */
    private static boolean hasPrivateAddress() {
        try {
            var interfaces = NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                NetworkInterface n = interfaces.nextElement();
                if (!n.isUp() || n.isLoopback()) {
                    continue;
                }
                var addresses = n.getInetAddresses();
                while (addresses.hasMoreElements()) {
                    InetAddress a = addresses.nextElement();
                    if (a instanceof java.net.Inet4Address && a.isSiteLocalAddress()) {
                        return true;
                    }
                }
            }
        } catch (SocketException e) {
            LOG.debug("listing the interfaces failed: {}", e.toString());
        }
        return false;
    }

    /** Asks the peers to connect back now and every {@link #RECHECK_MILLIS}. */
    private void verifyEvery() {
        if (verifying) {
            return;
        }
        verifying = true;
        verify();
        executor.scheduleWithFixedDelay(this::verify, RECHECK_MILLIS, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Asks {@link #CHECKING_PEERS} peers to connect back to the port announced now; when none
     * answers, asks again after {@link #UNANSWERED_RECHECK_MILLIS} (doubling), not only at the
     * next {@link #RECHECK_MILLIS}.
     */
    private void verify() {
        int port = announcedTcpPort;
        PortMapper m = mapper;
        int udp = m == null ? udpPort : m.mapping(MappingProtocol.UDP).map(ActiveMapping::externalPort).orElse(udpPort);
        boolean answered = false;
        try {
            ConnectBackResult r = connectBack.ask(port, udp).get(30, TimeUnit.SECONDS);
            lastCheck = new Check(port, udp, r);
            answered = r.answered() > 0;
            LOG.info("connect_back: {} of {} peers asked ({} answered) could connect to port {}; {} of {} pinged UDP"
                    + " port {} from another port and got an answer", r.reached(), r.asked(), r.answered(), port,
                    r.udpReached(), r.udpAnswered(), udp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            LOG.debug("connect_back check failed: {}", e.toString());
        }
        if (answered) {
            unansweredRecheckMillis = UNANSWERED_RECHECK_MILLIS;
        } else if (!unansweredRecheckPending) {
            unansweredRecheckPending = true;
            executor.schedule(() -> {
                unansweredRecheckPending = false;
                verify();
            }, unansweredRecheckMillis, TimeUnit.MILLISECONDS);
            unansweredRecheckMillis = Math.min(RECHECK_MILLIS, unansweredRecheckMillis * 2);
        }
    }

    /**
     * Refreshes the mappings by the method in use; while the router answers it not at all, asks
     * by the next of {@link ReachOptions#methods()}; when none answered, the next refresh starts
     * again from the first.
     */
    private void refresh() {
        PortMapper m = noMethodAnswered ? null : mapper;
        long next = PortMapper.RETRY_MILLIS;
        try {
            boolean fresh = m == null;
            int method = fresh ? -1 : mapperMethod;
            if (m != null) {
                next = m.refresh();
            }
            StringBuilder earlier = new StringBuilder();
            String later = "";
            while ((m == null || m.mapping(MappingProtocol.TCP).isEmpty() && !m.router().answered())
                    && ++method < options.methods().size()) {
                PortMapper fallback = mapper(options.methods().get(method));
                if (fallback == null) {
                    later = "; " + MappingMethod.UPNP_IGD.label() + ": " + upnpProblem;
                    continue;
                }
                if (m != null) {
                    earlier.append(m.method()).append(": ").append(m.problem()).append("; ");
                    LOG.info("no {} answer from {}: asking it by {}", m.method(), m.gateway(), fallback.method());
                }
                mapper = fallback;
                mapperMethod = method;
                m = fallback;
                next = m.refresh();
                later = "";
            }
            if (fresh || earlier.length() > 0) {
                earlierProblems = earlier.toString(); // else the same method as before: what came before it still holds
            }
            laterProblems = later;
            noMethodAnswered = m == null || m.mapping(MappingProtocol.TCP).isEmpty() && !m.router().answered();
        } catch (RuntimeException e) {
            LOG.warn("port mapping refresh failed: {}", e.toString());
        }
        if (m == null) {
            problem = upnpProblem.isEmpty() ? "port mapping refresh failed"
                    : "no UPnP-IGD found on " + gateway.getHostAddress() + ": " + upnpProblem;
            executor.schedule(this::refresh, next, TimeUnit.MILLISECONDS);
            return;
        }
        int port = m.mapping(MappingProtocol.TCP).map(ActiveMapping::externalPort).orElse(tcpPort);
        boolean newlyMapped = !tcpMapped && m.mapping(MappingProtocol.TCP).isPresent();
        tcpMapped = m.mapping(MappingProtocol.TCP).isPresent();
        if (!m.problem().isEmpty()) {
            LOG.info("port mapping on {}: {}", m.gateway(), m.problem());
        }
        if (port != announcedTcpPort) {
            announcedTcpPort = port;
            LOG.info("block port {} is reached at port {} of the router {}", tcpPort, port, m.gateway());
            try {
                onMappingChanged.run();
            } catch (RuntimeException e) {
                LOG.warn("announcing the mapped port failed: {}", e.toString());
            }
            executor.execute(this::verify);
        } else if (newlyMapped && lastCheck != null) {
            executor.execute(this::verify); // the last check was of the port before it was mapped
        }
        executor.schedule(this::refresh, next, TimeUnit.MILLISECONDS);
    }

    /** A mapper asking the gateway by {@code method}; null for UPnP-IGD when no IGD answers (why in {@link #upnpProblem}). */
    private PortMapper mapper(MappingMethod method) {
        MappingRouter router = switch (method) {
            case PCP -> new PcpRouter(new UdpNatPmpTransport(gateway, gatewayPorts.pcpAndNatPmp(), "PCP"),
                    RANDOM::nextBytes);
            case NAT_PMP -> new NatPmpRouter(new UdpNatPmpTransport(gateway, gatewayPorts.pcpAndNatPmp(), "NAT-PMP"));
            case UPNP_IGD -> upnpRouter();
        };
        return router == null ? null
                : new PortMapper(router, System::currentTimeMillis, tcpPort, udpPort, options.lifetimeSeconds());
    }

    private UpnpRouter upnpRouter() {
        try {
            UpnpRouter router = IgdDiscovery.find(gateway, gatewayPorts.ssdp());
            upnpProblem = "";
            LOG.info("asking the UPnP-IGD of {} at {} for port mappings", gateway.getHostAddress(), router.gateway());
            return router;
        } catch (IOException e) {
            upnpProblem = e.getMessage();
            LOG.info("no UPnP-IGD on {} either: {}", gateway.getHostAddress(), upnpProblem);
            return null;
        }
    }

    /** Stops renewing and deletes the mappings (bounded: one try each). */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        PortMapper m = mapper;
        if (m != null) {
            m.release();
        }
    }

    private static boolean isLocal(InetAddress a) {
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
