package org.kadshare.overlay.krpc;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.kadshare.overlay.dht.NodeId;

/** Shared values for the KRPC tests. */
final class KrpcFixtures {
    static final TransactionId T = TransactionId.of(bytes("aa"));
    static final NodeId A = NodeId.of(bytes("abcdefghij0123456789"));
    static final NodeId M = NodeId.of(bytes("mnopqrstuvwxyz123456"));
    static final Token TOKEN = Token.of(bytes("aoeusnth"));

    private KrpcFixtures() {
    }

    /** The ISO-8859-1 bytes of {@code s}: one byte per char, so binary can be written inline. */
    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static InetSocketAddress ipv4(int a, int b, int c, int d, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(
                    new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] filled(int length, char c) {
        return bytes(String.valueOf(c).repeat(length));
    }

    /** One valid message of every kind, with every optional field in use somewhere. */
    static List<KrpcMessage> everyKind() {
        Optional<ClientVersion> ks = Optional.of(ClientVersion.KADSHARE);
        NodeInfo n1 = new NodeInfo(M, ipv4(10, 0, 0, 1, 6881));
        NodeInfo n2 = new NodeInfo(A, ipv4(192, 168, 1, 200, 65535));
        EncodedManifest m1 = EncodedManifest.of(filled(EncodedManifest.MAX_BYTES, 'x'));
        EncodedManifest m2 = EncodedManifest.of(bytes("d4:name3:fooe"));
        return List.of(
                new PingQuery(T, A, Optional.empty()),
                new PingQuery(TransactionId.of(new byte[] {0, (byte) 0xff}), A, ks),
                new FindNodeQuery(T, A, M, ks),
                new GetPeersQuery(T, A, M, ks),
                new AnnouncePeerQuery(T, A, M, 6881, false, TOKEN, ks),
                new AnnouncePeerQuery(T, A, M, 0, true, TOKEN, Optional.empty()),
                new PutManifestQuery(T, A, M, m1, TOKEN, ks),
                new GetManifestsQuery(T, A, M, ks),
                new SampleInfohashesQuery(T, A, M, Optional.empty(), ks),
                new SampleInfohashesQuery(T, A, M, Optional.of(TOKEN), Optional.empty()),
                new KrpcResponse(T, M, List.of(n1, n2), List.of(), Optional.of(TOKEN), List.of(), List.of(), 3, ks,
                        Optional.of(new KeySample(300, 41, List.of(A, M)))),
                new KrpcResponse(T, M, List.of(), List.of(), Optional.empty(), List.of(), List.of(), 0, Optional.empty(),
                        Optional.of(new KeySample(0, 0, List.of()))),
                KrpcResponse.ofId(T, M, ks),
                new KrpcResponse(T, M, List.of(n1, n2), List.of(), Optional.of(TOKEN), List.of(), ks),
                new KrpcResponse(T, M, List.of(), List.of(new PeerInfo(ipv4(1, 2, 3, 4, 1)),
                        new PeerInfo(ipv4(255, 255, 255, 255, 65535))), Optional.of(TOKEN), List.of(),
                        Optional.empty()),
                new KrpcResponse(T, M, List.of(n1, n2, n1, n2, n1, n2, n1, n2), List.of(),
                        Optional.of(TOKEN), List.of(m1, m1, m1, m2), ks),
                new AnnouncePeerQuery(T, A, M, 6881, false, TOKEN, ks, true),
                new ConnectToMeQuery(T, A, M, new PeerInfo(ipv4(11, 77, 6, 1, 4870)), 4870,
                        ReverseCookie.of(filled(ReverseCookie.LENGTH_BYTES, 'c')), TOKEN, ks),
                new ReverseConnectQuery(T, A, M, new PeerInfo(ipv4(11, 77, 1, 1, 4870)),
                        ReverseCookie.of(filled(ReverseCookie.LENGTH_BYTES, 'd')), Optional.empty()),
                new KrpcResponse(T, M, List.of(n1), List.of(new PeerInfo(ipv4(1, 2, 3, 4, 1))), Optional.of(TOKEN),
                        List.of(), ks).withRelayed(List.of(new PeerInfo(ipv4(11, 77, 6, 1, 4870)),
                        new PeerInfo(ipv4(11, 77, 6, 2, 4871)))),
                new ConnectBackQuery(T, A, 4870, ks),
                new ConnectBackQuery(T, A, 4870, java.util.OptionalInt.of(4871), ks),
                KrpcResponse.connectBack(T, M, true, ks),
                KrpcResponse.connectBack(T, M, false, Optional.of(true), ks),
                new KrpcError(T, KrpcError.GENERIC, "A Generic Error Ocurred", Optional.empty()),
                new KrpcError(T, 206, "signature does not verify: é", ks));
    }
}
