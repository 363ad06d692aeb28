package org.kadshare.overlay.krpc;

import java.util.List;
import org.kadshare.bencode.BDictionary;
import org.kadshare.bencode.BInteger;
import org.kadshare.bencode.BList;
import org.kadshare.bencode.BString;
import org.kadshare.bencode.BValue;
import org.kadshare.bencode.Bencode;
import org.kadshare.overlay.dht.NodeId;

/**
 * Encodes {@link KrpcMessage}s to datagrams and decodes datagrams to messages (BEP 5 KRPC plus
 * kadshare's manifest methods; see "DHT messages (KRPC)" in {@code docs/PROTOCOL.md}). Stateless
 * and thread-safe. Encoding writes the canonical bencoding (sorted keys), so a canonical input
 * decodes and re-encodes to the same bytes.
 */
public final class KrpcCodec {
    /**
     * Largest datagram encoded or accepted, in bytes. A full get_manifests response
     * ({@link KrpcResponse#MAX_MANIFESTS} manifests of {@link EncodedManifest#MAX_BYTES} bytes and
     * 8 nodes) takes under 3 KiB; the rest is headroom for peer lists and other implementations'
     * extensions. Plain BEP 5 messages stay below one Ethernet MTU.
     */
    public static final int MAX_DATAGRAM_BYTES = 8192;

    private KrpcCodec() {
    }

    /**
     * The datagram for {@code message}.
     *
     * @throws IllegalArgumentException if the encoding would exceed {@link #MAX_DATAGRAM_BYTES}
     */
    public static byte[] encode(KrpcMessage message) {
        if (message == null) {
            throw new IllegalArgumentException("cannot encode a null KRPC message");
        }
        BDictionary.Builder top = BDictionary.builder()
                .put("t", message.transactionId().toBytes());
        message.version().ifPresent(v -> top.put("v", v.toBytes()));
        if (message instanceof KrpcQuery q) {
            top.putUtf8("y", "q").putUtf8("q", q.method()).put("a", arguments(q));
        } else if (message instanceof KrpcResponse r) {
            top.putUtf8("y", "r").put("r", responseFields(r));
            r.requester().ifPresent(q -> top.put("ip", CompactForms.peer(q)));
        } else if (message instanceof KrpcError e) {
            top.putUtf8("y", "e").put("e", BList.of(BInteger.of(e.code()), BString.utf8(e.message())));
        }
        byte[] out = Bencode.encode(top.build());
        if (out.length > MAX_DATAGRAM_BYTES) {
            throw new IllegalArgumentException("encoded " + message.getClass().getSimpleName() + " is "
                    + out.length + " bytes, over the datagram limit of " + MAX_DATAGRAM_BYTES);
        }
        return out;
    }

    /**
     * The message in {@code datagram}. Never throws anything else, whatever the bytes.
     *
     * @throws KrpcDecodeException if the datagram is not a valid message; it carries the
     *                             transaction ID (when readable) and the error code to answer with
     */
    public static KrpcMessage decode(byte[] datagram) throws KrpcDecodeException {
        return KrpcDecoder.decode(datagram);
    }

    private static BDictionary arguments(KrpcQuery query) {
        BDictionary.Builder a = BDictionary.builder().put("id", query.senderId().toBytes());
        if (query instanceof FindNodeQuery q) {
            a.put("target", q.target().toBytes());
        } else if (query instanceof GetPeersQuery q) {
            a.put("info_hash", q.infoHash().toBytes());
            q.token().ifPresent(t -> a.put("token", t.toBytes()));
        } else if (query instanceof AnnouncePeerQuery q) {
            a.put("info_hash", q.infoHash().toBytes()).put("port", q.port())
                    .put("token", q.token().toBytes());
            if (q.impliedPort()) {
                a.put("implied_port", 1);
            }
            if (q.unreachable()) {
                a.put("unreachable", 1);
            }
        } else if (query instanceof PutManifestQuery q) {
            a.put("key", q.key().toBytes()).put("manifest", q.manifest().toBytes())
                    .put("token", q.token().toBytes());
        } else if (query instanceof GetManifestsQuery q) {
            a.put("key", q.key().toBytes());
            q.token().ifPresent(t -> a.put("token", t.toBytes()));
        } else if (query instanceof SampleInfohashesQuery q) {
            a.put("target", q.target().toBytes());
            q.token().ifPresent(t -> a.put("token", t.toBytes()));
        } else if (query instanceof PutKeywordQuery q) {
            a.put("key", q.key().toBytes()).put("record", q.record().toBytes())
                    .put("token", q.token().toBytes());
        } else if (query instanceof GetKeywordsQuery q) {
            a.put("key", q.key().toBytes());
            q.token().ifPresent(t -> a.put("token", t.toBytes()));
        } else if (query instanceof ConnectBackQuery q) {
            a.put("port", q.port());
            q.udpPort().ifPresent(u -> a.put("udp_port", u));
        } else if (query instanceof ConnectToMeQuery q) {
            a.put("info_hash", q.infoHash().toBytes()).put("holder", CompactForms.peer(q.holder()))
                    .put("port", q.port()).put("cookie", q.cookie().toBytes()).put("token", q.token().toBytes());
        } else if (query instanceof ReverseConnectQuery q) {
            a.put("info_hash", q.infoHash().toBytes()).put("getter", CompactForms.peer(q.getter()))
                    .put("cookie", q.cookie().toBytes());
        }
        return a.build();
    }

    private static BDictionary responseFields(KrpcResponse r) {
        BDictionary.Builder d = BDictionary.builder().put("id", r.responderId().toBytes());
        if (!r.nodes().isEmpty()) {
            d.put("nodes", CompactForms.nodes(r.nodes()));
        }
        if (!r.values().isEmpty()) {
            d.put("values", new BList(r.values().stream()
                    .<BValue>map(p -> BString.of(CompactForms.peer(p))).toList()));
        }
        if (!r.relayed().isEmpty()) {
            d.put("relayed", new BList(r.relayed().stream()
                    .<BValue>map(p -> BString.of(CompactForms.peer(p))).toList()));
        }
        r.token().ifPresent(t -> d.put("token", t.toBytes()));
        if (!r.manifests().isEmpty()) {
            List<BValue> manifests = r.manifests().stream()
                    .<BValue>map(m -> BString.of(m.toBytes())).toList();
            d.put("manifests", new BList(manifests));
        }
        if (!r.keywords().isEmpty()) {
            d.put("keywords", new BList(r.keywords().stream().<BValue>map(k -> BString.of(k.toBytes())).toList()));
        }
        r.reached().ifPresent(ok -> d.put("reached", ok ? 1 : 0));
        r.udpReached().ifPresent(ok -> d.put("udp_reached", ok ? 1 : 0));
        if (r.withheld() > 0) {
            d.put("withheld", r.withheld());
        }
        r.sample().ifPresent(s -> {
            byte[] keys = new byte[s.samples().size() * NodeId.LENGTH_BYTES];
            for (int i = 0; i < s.samples().size(); i++) {
                System.arraycopy(s.samples().get(i).toBytes(), 0, keys, i * NodeId.LENGTH_BYTES, NodeId.LENGTH_BYTES);
            }
            d.put("samples", keys).put("interval", s.intervalSeconds()).put("num", s.num());
        });
        return d.build();
    }
}
