package org.kadshare.overlay.krpc;

import java.util.Optional;
import org.kadshare.overlay.dht.NodeId;

/**
 * kadshare's {@code reverse_connect}, from a relay to a holder that cannot be reached (to the
 * UDP address its announce came from): "the getter at {@code getter} asks for {@code infoHash};
 * open a TCP connection to it and send {@code cookie} first". The getter's IP is the source of
 * the {@link ConnectToMeQuery} the relay received.
 *
 * @param transactionId the "t"
 * @param senderId      the relay ("id")
 * @param infoHash      the content's DHT key ("info_hash")
 * @param getter        where to connect ("getter", compact IPv4 and port)
 * @param cookie        the getter's cookie ("cookie", 16 bytes)
 * @param version       the top-level "v", if any
 */
public record ReverseConnectQuery(TransactionId transactionId, NodeId senderId, NodeId infoHash, PeerInfo getter,
        ReverseCookie cookie, Optional<ClientVersion> version) implements KrpcQuery {
    /** The method name on the wire. */
    public static final String METHOD = "reverse_connect";

    /** Checks that every field is present. */
    public ReverseConnectQuery {
        Checks.present("transaction ID", transactionId);
        Checks.present("sender ID", senderId);
        Checks.present("info hash", infoHash);
        Checks.present("getter", getter);
        Checks.present("cookie", cookie);
        Checks.optional("version", version);
    }

    @Override
    public String method() {
        return METHOD;
    }
}
