package org.kadshare.overlay.krpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.kadshare.bencode.BDictionary;
import org.kadshare.bencode.BInteger;
import org.kadshare.bencode.BList;
import org.kadshare.bencode.BString;
import org.kadshare.bencode.BValue;
import org.kadshare.bencode.Bencode;
import org.kadshare.bencode.BencodeException;
import org.kadshare.bencode.BencodeLimits;
import org.kadshare.overlay.dht.NodeId;

/**
 * Turns one datagram into a {@link KrpcMessage}, context-free.
 *
 * <p>Design note. Decoding goes in two steps: the bounded bencode decoder first (which rejects
 * anything that is not exactly one valid bencoded value within {@link #LIMITS}), then the KRPC
 * shape. The transaction ID is read before anything else, and whether the datagram is a query as
 * soon as "y" is known, so every later failure can carry both and the core can answer with an
 * error. Unknown keys at any level (BEP 43 "ro", BEP 32 "want", ...) are ignored, as are a top-level
 * "ip" (BEP 42) that is not a compact IPv4 endpoint and a "v" that is not a short byte string: they
 * must not make a mainline node unreachable.
 * Every field we do read is checked for type and length; a response is read with all its optional
 * fields, so it needs no knowledge of the query it answers.
 */
final class KrpcDecoder {
    /** Bencode limits for one KRPC datagram. */
    /** Most relayed holders one response may list (an answer lists at most its holders' share). */
    static final int MAX_RELAYED = 32;
    static final BencodeLimits LIMITS = new BencodeLimits(KrpcCodec.MAX_DATAGRAM_BYTES, 8, 2048,
            KrpcCodec.MAX_DATAGRAM_BYTES);

    private TransactionId transactionId;
    private boolean query;

    private KrpcDecoder() {
    }

    static KrpcMessage decode(byte[] datagram) throws KrpcDecodeException {
        return new KrpcDecoder().run(datagram);
    }

    private KrpcMessage run(byte[] datagram) throws KrpcDecodeException {
        if (datagram == null || datagram.length == 0) {
            throw fail("empty datagram");
        }
        if (datagram.length > KrpcCodec.MAX_DATAGRAM_BYTES) {
            throw fail("datagram of " + datagram.length + " bytes exceeds the limit of "
                    + KrpcCodec.MAX_DATAGRAM_BYTES + " bytes");
        }
        BValue root;
        try {
            root = Bencode.decode(datagram, LIMITS);
        } catch (BencodeException e) {
            throw new KrpcDecodeException("not a bencoded message: " + e.getMessage(), e);
        }
        if (!(root instanceof BDictionary top)) {
            throw fail("a KRPC message is a dictionary, got a " + root.typeName());
        }
        try {
            transactionId = transactionId(top);
            String type = type(top);
            query = type.equals("q");
            Optional<ClientVersion> version = version(top);
            switch (type) {
                case "q":
                    return query(top, version);
                case "r":
                    return response(top.requireDictionary("r"), version, requester(top));
                case "e":
                    return error(top.requireList("e"), version);
                default:
                    throw fail("unknown message type \"y\" = " + OpaqueBytes.show(type.getBytes(StandardCharsets.UTF_8)));
            }
        } catch (BencodeException e) {
            throw fail(e.getMessage());
        }
    }

    private static TransactionId transactionId(BDictionary top) throws BencodeException {
        BString t = top.requireString("t");
        if (t.length() < TransactionId.MIN_BYTES || t.length() > TransactionId.MAX_BYTES) {
            throw new BencodeException("transaction ID \"t\" must be " + TransactionId.MIN_BYTES
                    + ".." + TransactionId.MAX_BYTES + " bytes, got " + t.length());
        }
        return TransactionId.of(t.bytes());
    }

    private static String type(BDictionary top) throws BencodeException {
        BString y = top.requireString("y");
        if (y.length() != 1) {
            throw new BencodeException("message type \"y\" must be one byte, got " + y);
        }
        return new String(y.bytes(), StandardCharsets.ISO_8859_1);
    }

    private static Optional<ClientVersion> version(BDictionary top) {
        Optional<BValue> v = top.get("v");
        if (v.isPresent() && v.get() instanceof BString s
                && s.length() >= ClientVersion.MIN_BYTES && s.length() <= ClientVersion.MAX_BYTES) {
            return Optional.of(ClientVersion.of(s.bytes()));
        }
        return Optional.empty();
    }

    private KrpcQuery query(BDictionary top, Optional<ClientVersion> version)
            throws BencodeException, KrpcDecodeException {
        byte[] methodBytes = top.requireString("q").bytes();
        String method = new String(methodBytes, StandardCharsets.ISO_8859_1);
        if (!isKnownMethod(method)) {
            throw new KrpcDecodeException("method unknown: " + OpaqueBytes.show(methodBytes),
                    transactionId, KrpcError.METHOD_UNKNOWN, true);
        }
        BDictionary a = top.requireDictionary("a");
        NodeId sender = nodeId(a, "id");
        switch (method) {
            case PingQuery.METHOD:
                return new PingQuery(transactionId, sender, version);
            case FindNodeQuery.METHOD:
                return new FindNodeQuery(transactionId, sender, nodeId(a, "target"), version);
            case GetPeersQuery.METHOD:
                return new GetPeersQuery(transactionId, sender, nodeId(a, "info_hash"), optionalToken(a), version);
            case AnnouncePeerQuery.METHOD:
                return announce(a, sender, version);
            case PutManifestQuery.METHOD:
                return new PutManifestQuery(transactionId, sender, nodeId(a, "key"),
                        manifest(a.requireString("manifest"), "\"manifest\""), token(a.requireString("token")),
                        version);
            case SampleInfohashesQuery.METHOD:
                return new SampleInfohashesQuery(transactionId, sender, nodeId(a, "target"), optionalToken(a),
                        version);
            case PutKeywordQuery.METHOD:
                return new PutKeywordQuery(transactionId, sender, nodeId(a, "key"),
                        keyword(a.requireString("record"), "\"record\""), token(a.requireString("token")), version);
            case GetKeywordsQuery.METHOD:
                return new GetKeywordsQuery(transactionId, sender, nodeId(a, "key"), optionalToken(a), version);
            case ConnectBackQuery.METHOD:
                long port = a.requireInteger("port");
                if (port < 1 || port > 65_535) {
                    throw new BencodeException("\"port\" must be 1..65535, got " + port);
                }
                OptionalLong udpPort = a.optionalInteger("udp_port");
                if (udpPort.isPresent() && (udpPort.getAsLong() < 1 || udpPort.getAsLong() > 65_535)) {
                    throw new BencodeException("\"udp_port\" must be 1..65535, got " + udpPort.getAsLong());
                }
                return new ConnectBackQuery(transactionId, sender, (int) port, udpPort.isPresent()
                        ? java.util.OptionalInt.of((int) udpPort.getAsLong()) : java.util.OptionalInt.empty(), version);
            case ConnectToMeQuery.METHOD:
                long getterPort = a.requireInteger("port");
                if (getterPort < 1 || getterPort > 65_535) {
                    throw new BencodeException("\"port\" must be 1..65535, got " + getterPort);
                }
                return new ConnectToMeQuery(transactionId, sender, nodeId(a, "info_hash"), endpoint(a, "holder"),
                        (int) getterPort, cookie(a), token(a.requireString("token")), version);
            case ReverseConnectQuery.METHOD:
                return new ReverseConnectQuery(transactionId, sender, nodeId(a, "info_hash"), endpoint(a, "getter"),
                        cookie(a), version);
            default:
                return new GetManifestsQuery(transactionId, sender, nodeId(a, "key"), optionalToken(a), version);
        }
    }

    private static boolean isKnownMethod(String method) {
        return switch (method) {
            case PingQuery.METHOD, FindNodeQuery.METHOD, GetPeersQuery.METHOD, AnnouncePeerQuery.METHOD,
                    PutManifestQuery.METHOD, GetManifestsQuery.METHOD, SampleInfohashesQuery.METHOD,
                    PutKeywordQuery.METHOD, GetKeywordsQuery.METHOD, ConnectBackQuery.METHOD,
                    ConnectToMeQuery.METHOD, ReverseConnectQuery.METHOD -> true;
            default -> false;
        };
    }

    private AnnouncePeerQuery announce(BDictionary a, NodeId sender, Optional<ClientVersion> version)
            throws BencodeException {
        NodeId infoHash = nodeId(a, "info_hash");
        OptionalLong implied = a.optionalInteger("implied_port");
        boolean impliedPort = implied.isPresent() && implied.getAsLong() != 0;
        long port = a.requireInteger("port");
        if (port > 65_535 || port < (impliedPort ? 0 : 1)) {
            throw new BencodeException("\"port\" must be " + (impliedPort ? 0 : 1) + "..65535, got " + port);
        }
        Token token = token(a.requireString("token"));
        OptionalLong unreachable = a.optionalInteger("unreachable");
        return new AnnouncePeerQuery(transactionId, sender, infoHash, (int) port, impliedPort, token, version,
                unreachable.isPresent() && unreachable.getAsLong() != 0);
    }

    /** A compact IPv4 endpoint argument (6 bytes). */
    private static PeerInfo endpoint(BDictionary a, String key) throws BencodeException {
        byte[] compact = a.requireString(key).bytes();
        try {
            return CompactForms.parsePeer(compact, 0);
        } catch (CompactForms.MalformedCompactException | IllegalArgumentException e) {
            throw new BencodeException("\"" + key + "\" must be a compact IPv4 endpoint (6 bytes, port 1..65535), got "
                    + compact.length + " bytes");
        }
    }

    private static ReverseCookie cookie(BDictionary a) throws BencodeException {
        byte[] bytes = a.requireString("cookie").bytes();
        if (bytes.length != ReverseCookie.LENGTH_BYTES) {
            throw new BencodeException("\"cookie\" must be " + ReverseCookie.LENGTH_BYTES + " bytes, got "
                    + bytes.length);
        }
        return ReverseCookie.of(bytes);
    }

    /**
     * BEP 42's top-level "ip" of a response: the querier's address as the responder saw it. One
     * that is not a compact IPv4 endpoint is ignored, like any unknown key.
     */
    private static Optional<PeerInfo> requester(BDictionary top) {
        try {
            Optional<BString> ip = top.optionalString("ip");
            if (ip.isEmpty() || ip.get().bytes().length != PeerInfo.COMPACT_BYTES) {
                return Optional.empty();
            }
            return Optional.of(CompactForms.parsePeer(ip.get().bytes(), 0));
        } catch (BencodeException | CompactForms.MalformedCompactException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** kadshare's "reached" (or "udp_reached") of a connect_back answer: 1 or 0; any other value is ignored. */
    private static Optional<Boolean> reached(BDictionary r, String key) {
        try {
            OptionalLong v = r.optionalInteger(key);
            return v.isPresent() && (v.getAsLong() == 0 || v.getAsLong() == 1)
                    ? Optional.of(v.getAsLong() == 1) : Optional.empty();
        } catch (BencodeException e) {
            return Optional.empty();
        }
    }

    private KrpcResponse response(BDictionary r, Optional<ClientVersion> version, Optional<PeerInfo> requester)
            throws BencodeException, KrpcDecodeException {
        NodeId responder = nodeId(r, "id");
        List<NodeInfo> nodes = List.of();
        Optional<BString> compactNodes = r.optionalString("nodes");
        List<PeerInfo> values = new ArrayList<>();
        Optional<BList> peerList = r.optionalList("values");
        List<PeerInfo> relayed = peers(r, "relayed");
        try {
            if (compactNodes.isPresent()) {
                nodes = CompactForms.parseNodes(compactNodes.get().bytes());
            }
            if (peerList.isPresent()) {
                List<BValue> entries = peerList.get().values();
                for (int i = 0; i < entries.size(); i++) {
                    if (!(entries.get(i) instanceof BString s)) {
                        throw fail("\"values\" entry " + i + " must be a string, got a "
                                + entries.get(i).typeName());
                    }
                    values.add(CompactForms.parsePeer(s.bytes(), i));
                }
            }
        } catch (CompactForms.MalformedCompactException e) {
            throw fail(e.getMessage());
        }
        Optional<Token> token = optionalToken(r);
        List<EncodedManifest> manifests = strings(r, "manifests", KrpcResponse.MAX_MANIFESTS,
                KrpcDecoder::manifest);
        List<EncodedKeyword> keywords = strings(r, "keywords", KrpcResponse.MAX_KEYWORDS, KrpcDecoder::keyword);
        OptionalLong withheld = r.optionalInteger("withheld");
        if (withheld.isPresent() && (withheld.getAsLong() < 0 || withheld.getAsLong() > Integer.MAX_VALUE)) {
            throw fail("\"withheld\" must be 0.." + Integer.MAX_VALUE + ", got " + withheld.getAsLong());
        }
        return new KrpcResponse(transactionId, responder, nodes, values, token, manifests, keywords,
                (int) withheld.orElse(0), version, sample(r), requester, reached(r, "reached"), relayed,
                reached(r, "udp_reached"));
    }

    /** An optional list of compact peer infos, at most {@link #MAX_RELAYED}. */
    private List<PeerInfo> peers(BDictionary r, String key) throws BencodeException, KrpcDecodeException {
        Optional<BList> list = r.optionalList(key);
        if (list.isEmpty()) {
            return List.of();
        }
        List<BValue> entries = list.get().values();
        if (entries.size() > MAX_RELAYED) {
            throw fail("\"" + key + "\" lists " + entries.size() + " holders, more than " + MAX_RELAYED);
        }
        List<PeerInfo> peers = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (!(entries.get(i) instanceof BString s)) {
                throw fail("\"" + key + "\" entry " + i + " must be a string, got a " + entries.get(i).typeName());
            }
            try {
                peers.add(CompactForms.parsePeer(s.bytes(), i));
            } catch (CompactForms.MalformedCompactException e) {
                throw fail(e.getMessage());
            }
        }
        return peers;
    }

    /**
     * The BEP 51 fields, when "samples" is there: a missing "interval" reads as 0, a missing "num"
     * as the number of samples, an interval beyond BEP 51's 6 hours as 6 hours.
     */
    private Optional<KeySample> sample(BDictionary r) throws BencodeException, KrpcDecodeException {
        Optional<BString> samples = r.optionalString("samples");
        if (samples.isEmpty()) {
            return Optional.empty();
        }
        byte[] keys = samples.get().bytes();
        if (keys.length % NodeId.LENGTH_BYTES != 0) {
            throw fail("\"samples\" is " + keys.length + " bytes, not a multiple of " + NodeId.LENGTH_BYTES);
        }
        List<NodeId> sampled = new ArrayList<>(keys.length / NodeId.LENGTH_BYTES);
        for (int at = 0; at < keys.length; at += NodeId.LENGTH_BYTES) {
            sampled.add(NodeId.of(java.util.Arrays.copyOfRange(keys, at, at + NodeId.LENGTH_BYTES)));
        }
        long interval = r.optionalInteger("interval").orElse(0);
        long num = r.optionalInteger("num").orElse(sampled.size());
        if (interval < 0 || num < 0 || num > Integer.MAX_VALUE) {
            throw fail("\"interval\" and \"num\" must not be negative, got " + interval + " and " + num);
        }
        return Optional.of(new KeySample((int) Math.min(interval, KeySample.MAX_INTERVAL_SECONDS), (int) num,
                sampled));
    }

    private interface StringReader<T> {
        T read(BString s, String what) throws BencodeException;
    }

    /** The optional list {@code key} of at most {@code max} strings, each read by {@code reader}. */
    private <T> List<T> strings(BDictionary r, String key, int max, StringReader<T> reader)
            throws BencodeException, KrpcDecodeException {
        List<T> out = new ArrayList<>();
        Optional<BList> list = r.optionalList(key);
        if (list.isPresent()) {
            List<BValue> entries = list.get().values();
            if (entries.size() > max) {
                throw fail("\"" + key + "\" holds " + entries.size() + " entries, more than " + max);
            }
            for (int i = 0; i < entries.size(); i++) {
                if (!(entries.get(i) instanceof BString s)) {
                    throw fail("\"" + key + "\" entry " + i + " must be a string, got a " + entries.get(i).typeName());
                }
                out.add(reader.read(s, "\"" + key + "\" entry " + i));
            }
        }
        return out;
    }

    private KrpcError error(BList e, Optional<ClientVersion> version) throws KrpcDecodeException {
        if (e.size() != 2 || !(e.get(0) instanceof BInteger code) || !(e.get(1) instanceof BString text)) {
            throw fail("error \"e\" must be a list of an integer and a string, got " + describe(e));
        }
        if (code.value() < 0 || code.value() > Integer.MAX_VALUE) {
            throw fail("error code must be 0.." + Integer.MAX_VALUE + ", got " + code.value());
        }
        return new KrpcError(transactionId, (int) code.value(),
                new String(text.bytes(), StandardCharsets.UTF_8), version);
    }

    private static String describe(BList list) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < list.size() && i < 3; i++) {
            sb.append(i == 0 ? "" : ", ").append(list.get(i).typeName());
        }
        return sb.append(list.size() > 3 ? ", ...]" : "]").toString();
    }

    private static NodeId nodeId(BDictionary d, String key) throws BencodeException {
        return NodeId.of(d.requireBytes(key, NodeId.LENGTH_BYTES));
    }

    private static Optional<Token> optionalToken(BDictionary d) throws BencodeException {
        return d.optionalString("token").isPresent() ? Optional.of(token(d.requireString("token"))) : Optional.empty();
    }

    private static Token token(BString s) throws BencodeException {
        if (s.length() < Token.MIN_BYTES || s.length() > Token.MAX_BYTES) {
            throw new BencodeException("\"token\" must be " + Token.MIN_BYTES + ".." + Token.MAX_BYTES
                    + " bytes, got " + s.length());
        }
        return Token.of(s.bytes());
    }

    private static EncodedManifest manifest(BString s, String what) throws BencodeException {
        if (s.length() < EncodedManifest.MIN_BYTES || s.length() > EncodedManifest.MAX_BYTES) {
            throw new BencodeException(what + " must be " + EncodedManifest.MIN_BYTES + ".."
                    + EncodedManifest.MAX_BYTES + " bytes, got " + s.length());
        }
        return EncodedManifest.of(s.bytes());
    }

    private static EncodedKeyword keyword(BString s, String what) throws BencodeException {
        if (s.length() < EncodedKeyword.MIN_BYTES || s.length() > EncodedKeyword.MAX_BYTES) {
            throw new BencodeException(what + " must be " + EncodedKeyword.MIN_BYTES + ".."
                    + EncodedKeyword.MAX_BYTES + " bytes, got " + s.length());
        }
        return EncodedKeyword.of(s.bytes());
    }

    private KrpcDecodeException fail(String message) {
        return new KrpcDecodeException(message, transactionId, KrpcError.PROTOCOL, query);
    }
}
