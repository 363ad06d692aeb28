package org.kadshare.overlay.krpc;

import java.util.Optional;
import java.util.OptionalInt;
import org.kadshare.overlay.dht.NodeId;

/**
 * kadshare's {@code connect_back}: "open a TCP connection to my source address at this port, and
 * say whether it opened". The answer ({@link KrpcResponse#reached()}) comes once the connection
 * opened or failed; a node answers a bounded number of these per minute, and only ever connects
 * to the querier's own source address, so it cannot be made to connect to a third party.
 *
 * @param transactionId the "t"
 * @param senderId      the querying node ("id")
 * @param port          the TCP port the querier says peers reach it at ("port", 1..65535)
 * @param udpPort       the UDP port the querier says peers reach its DHT at ("udp_port", 1..65535,
 *                      optional): the answering node also pings it, from another socket than the
 *                      one the query came in on, and says whether the ping's answer came back
 * @param version       the top-level "v", if any
 */
public record ConnectBackQuery(TransactionId transactionId, NodeId senderId, int port, OptionalInt udpPort,
        Optional<ClientVersion> version) implements KrpcQuery {
    /** The method name on the wire. */
    public static final String METHOD = "connect_back";

    /** Checks that every field is present and the port is 1..65535. */
    public ConnectBackQuery {
        Checks.present("transaction ID", transactionId);
        Checks.present("sender ID", senderId);
        Checks.optional("version", version);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not in 1..65535");
        }
        if (Checks.present("UDP port", udpPort).isPresent() && (udpPort.getAsInt() < 1 || udpPort.getAsInt() > 65_535)) {
            throw new IllegalArgumentException("UDP port " + udpPort.getAsInt() + " is not in 1..65535");
        }
    }

    /** A connect_back of the TCP port alone. */
    public ConnectBackQuery(TransactionId transactionId, NodeId senderId, int port, Optional<ClientVersion> version) {
        this(transactionId, senderId, port, OptionalInt.empty(), version);
    }

    @Override
    public String method() {
        return METHOD;
    }
}
