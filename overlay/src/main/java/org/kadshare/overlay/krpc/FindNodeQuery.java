package org.kadshare.overlay.krpc;

import java.util.Optional;
import org.kadshare.overlay.dht.NodeId;

/**
 * BEP 5 {@code find_node}: asks for the contacts the answering node knows closest to
 * {@code target}. Answered with "nodes".
 *
 * @param transactionId the "t"
 * @param senderId      the querying node ("id")
 * @param target        the ID looked for ("target")
 * @param version       the top-level "v", if any
 */
public record FindNodeQuery(TransactionId transactionId, NodeId senderId, NodeId target, Optional<ClientVersion> version)
        implements KrpcQuery {
    /** The method name on the wire. */
    public static final String METHOD = "find_node";

    /** Checks that every field is present. */
    public FindNodeQuery {
        Checks.present("transaction ID", transactionId);
        Checks.present("sender ID", senderId);
        Checks.present("target", target);
        Checks.optional("version", version);
    }

    @Override
    public String method() {
        return METHOD;
    }
}
