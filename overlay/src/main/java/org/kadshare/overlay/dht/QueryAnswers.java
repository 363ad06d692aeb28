package org.kadshare.overlay.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kadshare.overlay.krpc.AnnouncePeerQuery;
import org.kadshare.overlay.krpc.ConnectBackQuery;
import org.kadshare.overlay.krpc.ConnectToMeQuery;
import org.kadshare.overlay.krpc.EncodedKeyword;
import org.kadshare.overlay.krpc.EncodedManifest;
import org.kadshare.overlay.krpc.FindNodeQuery;
import org.kadshare.overlay.krpc.GetKeywordsQuery;
import org.kadshare.overlay.krpc.GetManifestsQuery;
import org.kadshare.overlay.krpc.GetPeersQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcError;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcQuery;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.NodeInfo;
import org.kadshare.overlay.krpc.PeerInfo;
import org.kadshare.overlay.krpc.PingQuery;
import org.kadshare.overlay.krpc.PutKeywordQuery;
import org.kadshare.overlay.krpc.PutManifestQuery;
import org.kadshare.overlay.krpc.ReverseConnectQuery;
import org.kadshare.overlay.krpc.SampleInfohashesQuery;
import org.kadshare.overlay.krpc.Token;
import org.kadshare.overlay.krpc.TransactionId;
import org.kadshare.overlay.reach.ExternalAddressVote;

/**
 * The answers to the queries other nodes send: ping, find_node, get_peers, announce_peer,
 * get_manifests, put_manifest, get_keywords, put_keyword, sample_infohashes and connect_back.
 * Store queries go to {@link StoredRecords}, connect_back to {@link ConnectBacks}, samples to
 * {@link KeySamples}; an answer to a querier without a valid token keeps to the
 * {@link AmplificationBudget}. A querier enters the routing table only once its query was answered
 * without error, so malformed or forged queries (bad token, bad arguments) leave the table as it
 * was.
 */
final class QueryAnswers {
    private final DhtEnvironment env;
    private final NodeId id;
    private final DhtConfig config;
    private final RoutingTable table;
    private final TokenIssuer tokens;
    private final StoredRecords records;
    private final OwnRecords own;
    private final KeySamples samples;
    private final ConnectBacks connectBacks;
    private final OutboundQueries queries;
    private final ExternalAddressVote externalVote;
    private final DhtTally tally;
    private final ReverseConnections reverse;

    QueryAnswers(DhtEnvironment env, NodeId id, DhtConfig config, RoutingTable table, TokenIssuer tokens,
                 StoredRecords records, OwnRecords own, KeySamples samples, ConnectBacks connectBacks,
                 OutboundQueries queries, ExternalAddressVote externalVote, DhtTally tally,
                 ReverseConnections reverse) {
        this.env = env;
        this.id = id;
        this.config = config;
        this.table = table;
        this.tokens = tokens;
        this.records = records;
        this.own = own;
        this.samples = samples;
        this.connectBacks = connectBacks;
        this.queries = queries;
        this.externalVote = externalVote;
        this.tally = tally;
        this.reverse = reverse;
    }

    /** Answers {@code query}, a datagram of {@code queryBytes} from {@code from} that passed the rate limit. */
    void answer(InetSocketAddress from, KrpcQuery query, int queryBytes) {
        long now = env.nowMillis();
        TransactionId tid = query.transactionId();
        if (query.senderId().equals(id)) {
            tally.garbage++;
            return;
        }
        if (query instanceof ConnectBackQuery q) {
            connectBacks.answer(from, q, queryBytes);
            return;
        }
        if (query instanceof ConnectToMeQuery q && !provesReceipt(from, Optional.of(q.token()))) {
            tally.malformed++;
            env.send(from, KrpcCodec.encode(new KrpcError(tid, KrpcError.PROTOCOL, "bad token", DhtNode.VERSION)));
            return;
        }
        KrpcMessage reply;
        if (query instanceof PingQuery) {
            reply = KrpcResponse.ofId(tid, id, DhtNode.VERSION);
        } else if (query instanceof FindNodeQuery q) {
            reply = new KrpcResponse(tid, id, nodesNear(q.target(), q.senderId()), List.of(), Optional.empty(),
                    List.of(), DhtNode.VERSION);
        } else if (query instanceof GetPeersQuery q) {
            reply = AmplificationBudget.withinBudget(new KrpcResponse(tid, id, nodesNear(q.infoHash(), q.senderId()),
                    holdersOf(q.infoHash(), from, now), Optional.of(tokenFor(from)), List.of(), DhtNode.VERSION)
                    .withRelayed(reverse.relayedOf(q.infoHash(), own.unreachable() ? ownHolderAddress(q.infoHash(), from)
                            : null, config.holdersReturned(), now)),
                    provesReceipt(from, q.token()), queryBytes);
        } else if (query instanceof GetManifestsQuery q) {
            List<EncodedManifest> found = records.manifests().get(q.key(), KrpcResponse.MAX_MANIFESTS, now).stream()
                    .map(EncodedManifest::of).toList();
            reply = AmplificationBudget.withinBudget(new KrpcResponse(tid, id, nodesNear(q.key(), q.senderId()),
                    List.of(), Optional.of(tokenFor(from)), found, DhtNode.VERSION), provesReceipt(from, q.token()),
                    queryBytes);
        } else if (query instanceof GetKeywordsQuery q) {
            List<EncodedKeyword> found = records.keywords().get(q.key(), KrpcResponse.MAX_KEYWORDS, now).stream()
                    .map(EncodedKeyword::of).toList();
            reply = AmplificationBudget.withinBudget(new KrpcResponse(tid, id, nodesNear(q.key(), q.senderId()),
                    List.of(), Optional.of(tokenFor(from)), List.of(), found, 0, DhtNode.VERSION, Optional.empty()),
                    provesReceipt(from, q.token()), queryBytes);
        } else if (query instanceof PutKeywordQuery q) {
            reply = records.store(from, q);
        } else if (query instanceof AnnouncePeerQuery q) {
            reply = records.store(from, q);
        } else if (query instanceof PutManifestQuery q) {
            reply = records.store(from, q);
        } else if (query instanceof SampleInfohashesQuery q) {
            reply = sampleReply(from, q, queryBytes, now);
        } else if (query instanceof ConnectToMeQuery q) {
            reply = reverse.connectToMe(from, q, now);
        } else if (query instanceof ReverseConnectQuery q) {
            reply = reverse.reverseConnect(from, q, now);
        } else {
            reply = new KrpcError(tid, KrpcError.METHOD_UNKNOWN, "unknown method " + query.method(), DhtNode.VERSION);
        }
        if (reply instanceof KrpcError) {
            tally.malformed++;
        } else {
            tally.queriesAnswered++;
            queries.learn(new Contact(query.senderId(), from), false);
        }
        env.send(from, AmplificationBudget.encodeTellingWhereFrom(reply, from,
                provenQueryBytes(from, query, queryBytes)));
    }

    /**
     * The answer to sample_infohashes: the current sample ({@link KeySamples}), the nodes near the
     * target, a token; trimmed for a querier that has not proven its address.
     */
    private KrpcResponse sampleReply(InetSocketAddress from, SampleInfohashesQuery q, int queryBytes, long now) {
        List<NodeId> sample = samples.current(now);
        List<NodeInfo> nodes = nodesNear(q.target(), q.senderId());
        Optional<Token> token = Optional.of(tokenFor(from));
        return samples.reply(q.transactionId(), sample, nodes, token, provesReceipt(from, q.token()), queryBytes);
    }

    /**
     * The query size the amplification budget counts from: a querier whose token proves it
     * receives our datagrams is not held to the budget (its answer is sent whole), so neither is
     * its "ip".
     */
    private int provenQueryBytes(InetSocketAddress from, KrpcQuery query, int queryBytes) {
        Optional<Token> token = Optional.empty();
        if (query instanceof GetPeersQuery q) {
            token = q.token();
        } else if (query instanceof GetManifestsQuery q) {
            token = q.token();
        } else if (query instanceof GetKeywordsQuery q) {
            token = q.token();
        } else if (query instanceof SampleInfohashesQuery q) {
            token = q.token();
        }
        return provesReceipt(from, token) ? KrpcCodec.MAX_DATAGRAM_BYTES : queryBytes;
    }

    /**
     * The holders of {@code key} for a get_peers answer: this node itself first when it serves
     * the content (at its address toward the querier, with the TCP port it announces; a lone
     * holder has no other node to store its record), then the stored records.
     */
    private List<PeerInfo> holdersOf(NodeId key, InetSocketAddress querier, long now) {
        List<InetSocketAddress> found = new ArrayList<>();
        InetSocketAddress self = own.unreachable() ? null : ownHolderAddress(key, querier);
        if (self != null) {
            found.add(self);
        }
        for (InetSocketAddress a : records.holders().get(key, config.holdersReturned(), now)) {
            if (a.getAddress() instanceof Inet4Address && !found.contains(a) && found.size() < config.holdersReturned()) {
                found.add(a);
            }
        }
        return found.stream().map(PeerInfo::new).toList();
    }

    /** This node as a holder of {@code key} toward {@code querier}, or null when it does not announce it. */
    private InetSocketAddress ownHolderAddress(NodeId key, InetSocketAddress querier) {
        Integer port = own.announcedPort(key);
        InetAddress self = port == null ? null : selfToward(querier);
        return self instanceof Inet4Address ? new InetSocketAddress(self, port) : null;
    }

    /**
     * Where {@code querier} reaches this node: behind a NAT (a private local address, a querier
     * outside the private ranges), at the external address the answering peers agree on, where
     * the router forwards the announced port when it maps it; otherwise at the local address
     * toward the querier.
     */
    InetAddress selfToward(InetSocketAddress querier) {
        InetAddress local = env.localAddressToward(querier);
        if (local != null && ConnectBacks.isPrivate(local) && !ConnectBacks.isPrivate(querier.getAddress())) {
            Optional<InetSocketAddress> external = externalVote.winner(env.nowMillis());
            if (external.isPresent()) {
                return external.get().getAddress();
            }
        }
        return local;
    }

    private boolean provesReceipt(InetSocketAddress from, Optional<Token> token) {
        return token.isPresent() && tokens.isValid(from.getAddress(), token.get().toBytes(), env.nowMillis());
    }

    private Token tokenFor(InetSocketAddress from) {
        return Token.of(tokens.issue(from.getAddress(), env.nowMillis()));
    }

    /**
     * The k contacts closest to {@code target}, leaving out the asker: it knows where it is. One
     * of them not heard from for a while is pinged, so a departed one leaves the answers soon.
     */
    private List<NodeInfo> nodesNear(NodeId target, NodeId asker) {
        List<Contact> near = table.closest(target, config.k() + 1).stream()
                .filter(c -> !c.id().equals(asker))
                .limit(config.k())
                .toList();
        Contact check = table.dueForCheck(near, env.nowMillis());
        if (check != null) {
            queries.ping(check);
        }
        return near.stream().map(c -> new NodeInfo(c.id(), c.address())).toList();
    }
}
