package org.kadshare.overlay.krpc;

import java.util.Optional;
import org.kadshare.overlay.dht.NodeId;

/**
 * BEP 5 {@code get_peers}: asks for holders of the content whose DHT key is {@code infoHash}.
 * Answered with "values" (holders) or "nodes" (closer contacts), and a "token" for a later
 * announce.
 *
 * @param transactionId the "t"
 * @param senderId      the querying node ("id")
 * @param infoHash      the DHT key ("info_hash")
 * @param token         a token this node handed the querier's IP earlier ("token", a kadshare
 *                      extension): it proves the querier receives our datagrams, and only then
 *                      is the answer allowed to be larger than about 3.5 times the query
 * @param version       the top-level "v", if any
 */
public record GetPeersQuery(TransactionId transactionId, NodeId senderId, NodeId infoHash, Optional<Token> token,
        Optional<ClientVersion> version)
        implements KrpcQuery {
    /** The method name on the wire. */
    public static final String METHOD = "get_peers";

    /** Checks that every field is present. */
    public GetPeersQuery {
        Checks.present("transaction ID", transactionId);
        Checks.present("sender ID", senderId);
        Checks.present("info hash", infoHash);
        Checks.optional("token", token);
        Checks.optional("version", version);
    }

    /** A query without a token, as a first contact sends it. */
    public GetPeersQuery(TransactionId transactionId, NodeId senderId, NodeId infoHash, Optional<ClientVersion> version) {
        this(transactionId, senderId, infoHash, Optional.empty(), version);
    }

    @Override
    public String method() {
        return METHOD;
    }
}
