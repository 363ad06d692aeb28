package org.kadshare.overlay.krpc;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.kadshare.overlay.dht.NodeId;

/**
 * BEP 5 {@code announce_peer}: "I hold the content under {@code infoHash}, reachable on
 * {@code port}". Only accepted with a {@code token} the answering node recently handed to this
 * sender's address. With {@code impliedPort}, the port the query came from is used instead of
 * {@code port}, which is then only checked to be 0..65535.
 *
 * @param transactionId the "t"
 * @param senderId      the querying node ("id")
 * @param infoHash      the DHT key ("info_hash")
 * @param port          the holder's port ("port"): 1..65535, or 0..65535 with {@code impliedPort}
 * @param impliedPort   "implied_port" = 1; encoded only when true
 * @param token         the write token ("token")
 * @param version       the top-level "v", if any
 * @param unreachable   "unreachable" = 1 (a kadshare extension; encoded only when true): the
 *                      holder is behind a NAT that forwards nothing to it, so the storing node
 *                      keeps the UDP address the announce came from and lists the holder as
 *                      "relayed" ({@link ConnectToMeQuery})
 */
public record AnnouncePeerQuery(TransactionId transactionId, NodeId senderId, NodeId infoHash,
        int port, boolean impliedPort, Token token, Optional<ClientVersion> version, boolean unreachable)
        implements KrpcQuery {
    /** The method name on the wire. */
    public static final String METHOD = "announce_peer";

    /** Checks that every field is present and the port is in range. */
    public AnnouncePeerQuery {
        Checks.present("transaction ID", transactionId);
        Checks.present("sender ID", senderId);
        Checks.present("info hash", infoHash);
        Checks.present("token", token);
        Checks.optional("version", version);
        if (impliedPort) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("announce port must be 0..65535, got " + port);
            }
        } else {
            Endpoints.checkedPort("announce port", port);
        }
    }

    /** An announce of a holder that can be reached (no "unreachable"). */
    public AnnouncePeerQuery(TransactionId transactionId, NodeId senderId, NodeId infoHash, int port,
            boolean impliedPort, Token token, Optional<ClientVersion> version) {
        this(transactionId, senderId, infoHash, port, impliedPort, token, version, false);
    }

    /** The holder's endpoint, given the address {@code from} the query arrived from. */
    public InetSocketAddress holderAddress(InetSocketAddress from) {
        return impliedPort ? from : new InetSocketAddress(from.getAddress(), port);
    }

    @Override
    public String method() {
        return METHOD;
    }
}
