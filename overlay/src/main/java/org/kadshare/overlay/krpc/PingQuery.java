package org.kadshare.overlay.krpc;

import java.util.Optional;
import org.kadshare.overlay.dht.NodeId;

/**
 * BEP 5 {@code ping}: "are you alive?". Answered with a response carrying only the responder ID.
 *
 * @param transactionId the "t"
 * @param senderId      the querying node ("id")
 * @param version       the top-level "v", if any
 */
public record PingQuery(TransactionId transactionId, NodeId senderId, Optional<ClientVersion> version)
        implements KrpcQuery {
    /** The method name on the wire. */
    public static final String METHOD = "ping";

    /** Checks that every field is present. */
    public PingQuery {
        Checks.present("transaction ID", transactionId);
        Checks.present("sender ID", senderId);
        Checks.optional("version", version);
    }

    @Override
    public String method() {
        return METHOD;
    }
}
