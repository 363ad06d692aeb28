package org.kadshare.overlay.krpc;

import java.util.Optional;
import org.kadshare.overlay.dht.NodeId;

/**
 * Kadshare {@code get_manifests} (in the spirit of BEP 44 {@code get}): asks for the signed
 * manifests stored under {@code key}. Answered with "manifests" (if it holds any) and/or "nodes"
 * (closer contacts), and a "token" for a later {@code put_manifest}.
 *
 * @param transactionId the "t"
 * @param senderId      the querying node ("id")
 * @param key           the DHT key: the first 20 bytes of the content ID ("key")
 * @param token         a token this node handed the querier's IP earlier ("token", a kadshare
 *                      extension): it proves the querier receives our datagrams, and only then
 *                      is the answer allowed to be larger than about 3.5 times the query
 * @param version       the top-level "v", if any
 */
public record GetManifestsQuery(TransactionId transactionId, NodeId senderId, NodeId key, Optional<Token> token,
        Optional<ClientVersion> version)
        implements KrpcQuery {
    /** The method name on the wire. */
    public static final String METHOD = "get_manifests";

    /** Checks that every field is present. */
    public GetManifestsQuery {
        Checks.present("transaction ID", transactionId);
        Checks.present("sender ID", senderId);
        Checks.present("key", key);
        Checks.optional("token", token);
        Checks.optional("version", version);
    }

    /** A query without a token, as a first contact sends it. */
    public GetManifestsQuery(TransactionId transactionId, NodeId senderId, NodeId key, Optional<ClientVersion> version) {
        this(transactionId, senderId, key, Optional.empty(), version);
    }

    @Override
    public String method() {
        return METHOD;
    }
}
