package org.kadshare.overlay.krpc;

import java.util.Optional;
import org.kadshare.overlay.dht.NodeId;

/**
 * kadshare's {@code connect_to_me}, from a getter that can be reached to the relay of a holder
 * that cannot (the node that listed the holder under "relayed"): "ask {@code holder} to open a
 * TCP connection to my source address at {@code port} and serve {@code infoHash} on it". The
 * getter's address is never an argument: the relay forwards the query's source IP, and only with a
 * {@code token} it handed that IP (as announce_peer), so a forged source address cannot make it
 * send a holder to a third party.
 *
 * @param transactionId the "t"
 * @param senderId      the querying node ("id")
 * @param infoHash      the content's DHT key ("info_hash")
 * @param holder        the holder as the relayed list named it ("holder", compact IPv4 and port)
 * @param port          the getter's block port ("port", 1..65535)
 * @param cookie        what the holder sends back first on the connection ("cookie", 16 bytes)
 * @param token         the write token the relay gave this getter ("token")
 * @param version       the top-level "v", if any
 */
public record ConnectToMeQuery(TransactionId transactionId, NodeId senderId, NodeId infoHash, PeerInfo holder,
        int port, ReverseCookie cookie, Token token, Optional<ClientVersion> version) implements KrpcQuery {
    /** The method name on the wire. */
    public static final String METHOD = "connect_to_me";

    /** Checks that every field is present and the port is 1..65535. */
    public ConnectToMeQuery {
        Checks.present("transaction ID", transactionId);
        Checks.present("sender ID", senderId);
        Checks.present("info hash", infoHash);
        Checks.present("holder", holder);
        Checks.present("cookie", cookie);
        Checks.present("token", token);
        Checks.optional("version", version);
        Endpoints.checkedPort("getter port", port);
    }

    @Override
    public String method() {
        return METHOD;
    }
}
