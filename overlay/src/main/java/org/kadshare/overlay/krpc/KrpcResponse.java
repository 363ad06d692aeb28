package org.kadshare.overlay.krpc;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.kadshare.overlay.dht.NodeId;

/**
 * A KRPC response ("y" = "r") to any query. It is one record with every optional field of BEP 5
 * and of kadshare's manifest methods, so decoding needs no knowledge of the query it answers:
 * the core, which knows what it asked, reads the fields it expects (kadshare's keyword methods
 * add "keywords"). An empty list means the field
 * is absent on the wire.
 *
 * @param transactionId the "t" of the query answered
 * @param responderId   the answering node ("id")
 * @param nodes         contacts ("nodes", compact 26-byte node infos), for find_node, get_peers and
 *                      get_manifests
 * @param values        holders ("values", compact 6-byte peer infos), for get_peers
 * @param token         write token ("token"), for get_peers and get_manifests
 * @param manifests     encoded signed manifests ("manifests"), at most
 *                      {@link #MAX_MANIFESTS}, for get_manifests
 * @param keywords      encoded signed keyword records ("keywords"), at most
 *                      {@link #MAX_KEYWORDS}, for get_keywords
 * @param withheld      how many values, manifests or keyword records were left out because the query carried no
 *                      valid token ("withheld", a kadshare extension; absent when 0): asking
 *                      again with the token in this response gets them
 * @param version       the top-level "v", if any
 * @param sample        "samples", "interval" and "num", for sample_infohashes (BEP 51)
 * @param requester     the querier's address as the responder saw it (BEP 42's top-level "ip",
 *                      compact IPv4 and port): how a node behind a NAT learns its external
 *                      address from the peers that answer it
 * @param reached       whether the TCP connection a connect_back asked for opened ("reached",
 *                      1 or 0, a kadshare extension)
 * @param relayed       holders that cannot be reached ("relayed", compact 6-byte peer infos like
 *                      "values", a kadshare extension), for get_peers: the responder relays a
 *                      {@link ConnectToMeQuery} to them
 * @param udpReached    whether the answer to the ping a connect_back with a UDP port asked for
 *                      came back ("udp_reached", 1 or 0, a kadshare extension)
 */
public record KrpcResponse(TransactionId transactionId, NodeId responderId, List<NodeInfo> nodes,
        List<PeerInfo> values, Optional<Token> token, List<EncodedManifest> manifests,
        List<EncodedKeyword> keywords, int withheld, Optional<ClientVersion> version, Optional<KeySample> sample,
        Optional<PeerInfo> requester, Optional<Boolean> reached, List<PeerInfo> relayed,
        Optional<Boolean> udpReached) implements KrpcMessage {
    /**
     * Most manifests in one response: with {@link EncodedManifest#MAX_BYTES} each, they and a
     * full set of nodes still fit {@link KrpcCodec#MAX_DATAGRAM_BYTES}.
     */
    public static final int MAX_MANIFESTS = 4;
    /**
     * Most keyword records in one response: with {@link EncodedKeyword#MAX_BYTES} each, they and
     * a full set of nodes still fit {@link KrpcCodec#MAX_DATAGRAM_BYTES}.
     */
    public static final int MAX_KEYWORDS = 8;

    /** Checks presence, copies the lists and bounds the number of manifests. */
    public KrpcResponse {
        Checks.present("transaction ID", transactionId);
        Checks.present("responder ID", responderId);
        nodes = List.copyOf(Checks.present("nodes", nodes));
        values = List.copyOf(Checks.present("values", values));
        Checks.optional("token", token);
        manifests = List.copyOf(Checks.present("manifests", manifests));
        keywords = List.copyOf(Checks.present("keywords", keywords));
        Checks.optional("version", version);
        Checks.optional("sample", sample);
        Checks.optional("requester", requester);
        Checks.optional("reached", reached);
        relayed = List.copyOf(Checks.present("relayed", relayed));
        Checks.optional("udp_reached", udpReached);
        if (withheld < 0) {
            throw new IllegalArgumentException("withheld must not be negative, got " + withheld);
        }
        if (manifests.size() > MAX_MANIFESTS) {
            throw new IllegalArgumentException("a response carries at most " + MAX_MANIFESTS
                    + " manifests, got " + manifests.size());
        }
        if (keywords.size() > MAX_KEYWORDS) {
            throw new IllegalArgumentException("a response carries at most " + MAX_KEYWORDS
                    + " keyword records, got " + keywords.size());
        }
    }

    /** A response that says nothing of a UDP probe. */
    public KrpcResponse(TransactionId transactionId, NodeId responderId, List<NodeInfo> nodes, List<PeerInfo> values,
            Optional<Token> token, List<EncodedManifest> manifests, List<EncodedKeyword> keywords, int withheld,
            Optional<ClientVersion> version, Optional<KeySample> sample, Optional<PeerInfo> requester,
            Optional<Boolean> reached, List<PeerInfo> relayed) {
        this(transactionId, responderId, nodes, values, token, manifests, keywords, withheld, version, sample,
                requester, reached, relayed, Optional.empty());
    }

    /** A response that lists no relayed holders. */
    public KrpcResponse(TransactionId transactionId, NodeId responderId, List<NodeInfo> nodes, List<PeerInfo> values,
            Optional<Token> token, List<EncodedManifest> manifests, List<EncodedKeyword> keywords, int withheld,
            Optional<ClientVersion> version, Optional<KeySample> sample, Optional<PeerInfo> requester,
            Optional<Boolean> reached) {
        this(transactionId, responderId, nodes, values, token, manifests, keywords, withheld, version, sample,
                requester, reached, List.of());
    }

    /** A response that does not say where the querier's datagram came from. */
    public KrpcResponse(TransactionId transactionId, NodeId responderId, List<NodeInfo> nodes, List<PeerInfo> values,
            Optional<Token> token, List<EncodedManifest> manifests, List<EncodedKeyword> keywords, int withheld,
            Optional<ClientVersion> version, Optional<KeySample> sample) {
        this(transactionId, responderId, nodes, values, token, manifests, keywords, withheld, version, sample,
                Optional.empty(), Optional.empty());
    }

    /** This response telling the querier that its query came from {@code querier}. */
    public KrpcResponse toRequester(InetSocketAddress querier) {
        return new KrpcResponse(transactionId, responderId, nodes, values, token, manifests, keywords, withheld,
                version, sample, Optional.of(new PeerInfo(querier)), reached, relayed, udpReached);
    }

    /** This response listing {@code holders} as relayed by the responder. */
    public KrpcResponse withRelayed(List<PeerInfo> holders) {
        return new KrpcResponse(transactionId, responderId, nodes, values, token, manifests, keywords, withheld,
                version, sample, requester, reached, holders, udpReached);
    }

    /** The answer to a connect_back: whether the connection to the querier opened. */
    public static KrpcResponse connectBack(TransactionId transactionId, NodeId responderId, boolean reached,
            Optional<ClientVersion> version) {
        return connectBack(transactionId, responderId, reached, Optional.empty(), version);
    }

    /**
     * The answer to a connect_back: whether the connection to the querier opened and, if it
     * asked, whether the answer to the ping of its UDP port came back.
     */
    public static KrpcResponse connectBack(TransactionId transactionId, NodeId responderId, boolean reached,
            Optional<Boolean> udpReached, Optional<ClientVersion> version) {
        return new KrpcResponse(transactionId, responderId, List.of(), List.of(), Optional.empty(), List.of(),
                List.of(), 0, version, Optional.empty(), Optional.empty(), Optional.of(reached), List.of(), udpReached);
    }

    /** A response without keyword records or a key sample. */
    public KrpcResponse(TransactionId transactionId, NodeId responderId, List<NodeInfo> nodes, List<PeerInfo> values,
            Optional<Token> token, List<EncodedManifest> manifests, int withheld, Optional<ClientVersion> version) {
        this(transactionId, responderId, nodes, values, token, manifests, List.of(), withheld, version,
                Optional.empty());
    }

    /** A response that withholds nothing. */
    public KrpcResponse(TransactionId transactionId, NodeId responderId, List<NodeInfo> nodes, List<PeerInfo> values,
            Optional<Token> token, List<EncodedManifest> manifests, Optional<ClientVersion> version) {
        this(transactionId, responderId, nodes, values, token, manifests, 0, version);
    }

    /** A response with only the responder ID, as for ping and announce_peer. */
    public static KrpcResponse ofId(TransactionId transactionId, NodeId responderId,
            Optional<ClientVersion> version) {
        return new KrpcResponse(transactionId, responderId, List.of(), List.of(), Optional.empty(),
                List.of(), version);
    }
}
