package org.kadshare.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kadshare.overlay.dht.AddressDiversity;
import org.kadshare.overlay.dht.DhtConfig;
import org.kadshare.overlay.node.Node;
import org.kadshare.overlay.node.NodeConfig;
import org.kadshare.overlay.reach.ReachOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a {@link Node} from merged settings, turning socket failures into clear exit codes. */
final class NodeStarter {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStarter.class);

    private NodeStarter() {
    }

    static Node start(Path dataDir, NodeSettings s, int port) {
        return start(dataDir, s, port, ReachOptions.OFF);
    }

    /** {@link #start(Path, NodeSettings, int)}, trying to become reachable as {@code reach} says. */
    static Node start(Path dataDir, NodeSettings s, int port, ReachOptions reach) {
        InetAddress bind = bindAddress(s.bind());
        if (port != 0) {
            checkFree(bind, port);
        }
        NodeConfig config = new NodeConfig(dataDir, bind, port, port, List.of(), s.cacheSizeBytes(), s.uploadSlots(),
                s.uploadBytesPerSecond(), DhtConfig.defaults().withDiversity(
                        AddressDiversity.defaults().withExemptLocal(s.localExempt())), false, s.directWrites(),
                s.encryption());
        try {
            return Node.start(config, reach);
        } catch (BindException e) {
            throw portInUse(bind, port, e);
        } catch (IOException e) {
            throw new CliException(ExitCode.IO, "cannot start the node: " + e.getMessage(), e);
        }
    }

    /** Resolves bootstrap host names; an unresolvable one is skipped with a warning. */
    static List<InetSocketAddress> resolve(List<InetSocketAddress> addresses) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            InetSocketAddress r = new InetSocketAddress(a.getHostString(), a.getPort());
            if (r.isUnresolved()) {
                LOG.warn("bootstrap address {} does not resolve; skipped", BootstrapAddress.format(a));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    private static InetAddress bindAddress(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new CliException(ExitCode.USAGE, "bind address " + text + " does not resolve");
        }
    }

    /** Fails early, with a clear message, if the UDP or TCP port is taken. */
    private static void checkFree(InetAddress bind, int port) {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(bind, port));
        } catch (BindException e) {
            throw portInUse(bind, port, e);
        } catch (IOException e) {
            throw new CliException(ExitCode.IO, "cannot bind " + bind.getHostAddress() + ":" + port + ": "
                    + e.getMessage(), e);
        }
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(bind, port))) {
            udp.getLocalPort();
        } catch (BindException e) {
            throw portInUse(bind, port, e);
        } catch (SocketException e) {
            throw new CliException(ExitCode.IO, "cannot bind " + bind.getHostAddress() + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    private static CliException portInUse(InetAddress bind, int port, Exception e) {
        return new CliException(ExitCode.PORT_IN_USE, "port " + port + " on " + bind.getHostAddress()
                + " is already in use (" + e.getMessage() + "); choose another with --port or KADSHARE_PORT", e);
    }
}
