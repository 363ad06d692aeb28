package org.kadshare.overlay.krpc;

import java.util.Optional;
import org.kadshare.overlay.dht.NodeId;

/**
 * BEP 51 {@code sample_infohashes}: asks a node for a random sample of the keys it stores.
 * Answered with "samples" ({@link KeySample}), "interval", "num" and, as find_node, "nodes" near
 * {@code target}, plus a "token" (a kadshare extension, as for get_peers).
 *
 * @param transactionId the "t"
 * @param senderId      the querying node ("id")
 * @param target        the ID the "nodes" of the answer are close to ("target")
 * @param token         a token this node handed the querier's IP earlier ("token", a kadshare
 *                      extension): without it the answer stays within about 3.5 times the size of
 *                      the query, withholding samples
 * @param version       the top-level "v", if any
 */
public record SampleInfohashesQuery(TransactionId transactionId, NodeId senderId, NodeId target,
        Optional<Token> token, Optional<ClientVersion> version) implements KrpcQuery {
    /** The method name on the wire. */
    public static final String METHOD = "sample_infohashes";

    /** Checks that every field is present. */
    public SampleInfohashesQuery {
        Checks.present("transaction ID", transactionId);
        Checks.present("sender ID", senderId);
        Checks.present("target", target);
        Checks.optional("token", token);
        Checks.optional("version", version);
    }

    @Override
    public String method() {
        return METHOD;
    }
}
