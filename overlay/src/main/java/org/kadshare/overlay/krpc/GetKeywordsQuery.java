package org.kadshare.overlay.krpc;

import java.util.Optional;
import org.kadshare.overlay.dht.NodeId;

/**
 * Kadshare {@code get_keywords}: asks for the signed keyword records stored under {@code key}, the
 * DHT key of one word. Answered with "keywords" (if it holds any) and/or "nodes" (closer
 * contacts), and a "token" for a later {@code put_keyword}. Like {@code get_manifests}, records
 * are only sent to a querier whose {@code token} proves it receives our datagrams.
 *
 * @param transactionId the "t"
 * @param senderId      the querying node ("id")
 * @param key           the DHT key of the word ("key")
 * @param token         a token this node handed the querier's IP earlier ("token")
 * @param version       the top-level "v", if any
 */
public record GetKeywordsQuery(TransactionId transactionId, NodeId senderId, NodeId key, Optional<Token> token,
        Optional<ClientVersion> version)
        implements KrpcQuery {
    /** The method name on the wire. */
    public static final String METHOD = "get_keywords";

    /** Checks that every field is present. */
    public GetKeywordsQuery {
        Checks.present("transaction ID", transactionId);
        Checks.present("sender ID", senderId);
        Checks.present("key", key);
        Checks.optional("token", token);
        Checks.optional("version", version);
    }

    @Override
    public String method() {
        return METHOD;
    }
}
