package org.kadshare.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.kadshare.cli.control.ControlEndpoint;
import org.kadshare.cli.control.ControlFile;
import org.kadshare.cli.control.ControlServer;
import org.kadshare.cli.control.Json;
import org.kadshare.overlay.node.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code node join [<bootstrap>...]}: runs a node in the foreground until SIGINT, SIGTERM or
 * {@code node stop}.
 *
 * <p>Order of start: lock the data directory (a second node on it stops here), write the default
 * config on first run, merge settings, start logging to stderr and {@code node.log}, bind the
 * node's sockets (port taken: its own exit code), start the control API and publish its
 * endpoint, join, log {@code ready}. A signal wakes the main thread, which closes everything in
 * reverse order (the node saves partial downloads) and exits 0.
 */
@Command(name = "join", description = "Run a node in the foreground and join the network (Ctrl-C stops it).")
final class JoinCommand implements Callable<Integer> {
    static final long JOIN_TIMEOUT_SECONDS = 30;

    /** Created on first use: picocli builds every command, and the others never start logging. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger("org.kadshare.cli.join");
    }

    @ParentCommand
    NodeCommand node;

    @Parameters(paramLabel = "<bootstrap-host[:port]>", arity = "0..*",
            description = "Nodes to join through, in addition to the configured bootstrap list.")
    List<String> bootstrap = new ArrayList<>();

    @Mixin
    SettingsOptions options = new SettingsOptions();

    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() throws Exception {
        List<InetSocketAddress> given = new ArrayList<>();
        for (String b : bootstrap) {
            try {
                given.add(BootstrapAddress.parse(b));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.USAGE, e.getMessage());
            }
        }
        Path dir = DataDirs.prepare(node.dataDir());
        try (NodeLock lock = NodeLock.acquire(dir)) {
            boolean created = Configuration.writeDefaultsIfAbsent(dir);
            NodeSettings settings = options.merge(dir).withBootstrap(given);
            Logging.configure(settings.logLevel(), settings.logLevels(),
                    Logging.LogFiles.defaults(dir.resolve("node.log")));
            if (created) {
                Log.LOG.info("wrote default settings to {}", dir.resolve(Configuration.FILE_NAME));
            }
            return run(dir, settings);
        }
    }

    private int run(Path dir, NodeSettings settings) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onInterruptOrTerminate(stop::countDown);
        Log.LOG.info("data directory {}", dir);
        try (Node n = NodeStarter.start(dir, settings, settings.port(), settings.reach())) {
            ControlEndpoint endpoint;
            try (ControlServer control = ControlServer.bind(ControlEndpoint.newToken(), ControlRoutes::error)) {
                ControlRoutes.install(control, n, dir, stop::countDown);
                control.start();
                endpoint = new ControlEndpoint(control.port(), control.token(), ProcessHandle.current().pid());
                ControlFile.write(dir, endpoint);
                try {
                    String udp = NodeJson.address(n.dhtAddress());
                    String tcp = NodeJson.address(n.transferAddress());
                    Log.LOG.info("listening on udp {} tcp {}", udp, tcp);
                    event(Map.of("event", "listening", "udp", udp, "tcp", tcp, "nodeId", n.nodeId().toHex()));
                    n.warmUpGetPathInBackground();
                    join(n, settings.bootstrap());
                    Log.LOG.info("control API on 127.0.0.1:{} (token in {})", endpoint.port(), ControlFile.path(dir));
                    Log.LOG.info("ready");
                    event(Map.of("event", "ready"));
                    if (DataPathWarmUp.enabled(System.getenv())) {
                        warmUp(dir.resolve(DataPathWarmUp.DIRECTORY), settings);
                    }
                    try (TrafficLog traffic = TrafficLog.start(n)) {
                        stop.await();
                    }
                    Log.LOG.info("stopping");
                } finally {
                    ControlFile.deleteIfOurs(dir, endpoint);
                }
            }
        }
        Log.LOG.info("stopped");
        event(Map.of("event", "stopped"));
        return ExitCode.OK;
    }

    private void warmUp(Path dir, NodeSettings settings) {
        DataPathWarmUp.startInBackground(dir, settings.encryption(), whole -> {
            Log.LOG.info(whole ? "warmed up" : "warm-up did not finish (only costs speed; --log cli=debug says why)");
            event(Map.of("event", "warmed-up", "whole", whole));
        });
    }

    private void join(Node n, List<InetSocketAddress> bootstrap) {
        List<InetSocketAddress> resolved = NodeStarter.resolve(bootstrap);
        if (bootstrap.isEmpty()) {
            Log.LOG.info("starting a new network (no bootstrap nodes given; others can join through this node)");
        } else {
            Log.LOG.info("joining through {}", bootstrap.stream().map(BootstrapAddress::format).toList());
        }
        try {
            int contacts = n.join(resolved).get(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!bootstrap.isEmpty() && contacts == 0) {
                Log.LOG.warn("no bootstrap node answered; running alone, and asking them again every minute");
            } else {
                Log.LOG.info("joined: {} contacts in the routing table", contacts);
            }
        } catch (Exception e) {
            Log.LOG.warn("joining failed ({}); running alone, and asking the bootstrap nodes again every minute",
                    e.toString());
        }
    }

    private void event(Map<String, Object> e) {
        if (json.json) {
            System.out.println(Json.write(e));
            System.out.flush();
        }
    }
}
