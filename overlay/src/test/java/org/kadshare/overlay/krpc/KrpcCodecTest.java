package org.kadshare.overlay.krpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kadshare.overlay.krpc.KrpcFixtures.A;
import static org.kadshare.overlay.krpc.KrpcFixtures.M;
import static org.kadshare.overlay.krpc.KrpcFixtures.T;
import static org.kadshare.overlay.krpc.KrpcFixtures.TOKEN;
import static org.kadshare.overlay.krpc.KrpcFixtures.bytes;
import static org.kadshare.overlay.krpc.KrpcFixtures.ipv4;
import static org.kadshare.overlay.krpc.KrpcFixtures.text;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class KrpcCodecTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe",
        "d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re",
        "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe",
        "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe",
        "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re",
        "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e"
                + "5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe",
        "d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee",
    })
    void bep5ExamplesDecodeAndReencodeByteForByte(String example) throws Exception {
        KrpcMessage decoded = KrpcCodec.decode(bytes(example));

        assertThat(text(KrpcCodec.encode(decoded))).isEqualTo(example);
    }

    @Test
    void bep5PingExampleDecodesToItsFields() throws Exception {
        KrpcMessage m = KrpcCodec.decode(bytes("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe"));

        assertThat(m).isEqualTo(new PingQuery(T, A, Optional.empty()));
    }

    @Test
    void bep5AnnounceExampleDecodesToItsFields() throws Exception {
        KrpcMessage m = KrpcCodec.decode(bytes("d1:ad2:id20:abcdefghij012345678912:implied_porti1e"
                + "9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer"
                + "1:t2:aa1:y1:qe"));

        assertThat(m).isEqualTo(new AnnouncePeerQuery(T, A, M, 6881, true, TOKEN, Optional.empty()));
    }

    @Test
    void bep5GetPeersValuesExampleDecodesToCompactPeers() throws Exception {
        KrpcMessage m = KrpcCodec.decode(bytes(
                "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re"));

        assertThat(m).isInstanceOf(KrpcResponse.class);
        KrpcResponse r = (KrpcResponse) m;
        assertThat(r.values()).containsExactly(new PeerInfo(ipv4('a', 'x', 'j', 'e', ('.' << 8) | 'u')),
                new PeerInfo(ipv4('i', 'd', 'h', 't', ('n' << 8) | 'm')));
        assertThat(r.token()).contains(TOKEN);
    }

    @Test
    void bep5ErrorExampleDecodesToGenericError() throws Exception {
        KrpcMessage m = KrpcCodec.decode(bytes("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee"));

        assertThat(m).isEqualTo(new KrpcError(T, KrpcError.GENERIC, "A Generic Error Ocurred", Optional.empty()));
    }

    /** A 24-character message under a 23-byte length prefix: the string swallows the "e" after it. */
    @Test
    void errorWhoseStringLengthIsOffByOneIsRejected() {
        assertDecodeFails("d1:eli201e23:A Generic Error Ovccurede1:t2:aa1:y1:ee", KrpcError.PROTOCOL, false, false);
    }

    /** BEP 5's find_node and get_peers node examples hold the placeholder "def456..." (9 bytes). */
    @ParameterizedTest
    @ValueSource(strings = {
        "d1:rd2:id20:0123456789abcdefghij5:nodes9:def456...e1:t2:aa1:y1:re",
        "d1:rd2:id20:abcdefghij01234567895:nodes9:def456...5:token8:aoeusnthe1:t2:aa1:y1:re",
    })
    void bep5PlaceholderNodeExamplesAreRejectedAsNotAMultipleOf26(String example) {
        assertDecodeFails(example, KrpcError.PROTOCOL, true, false);
    }

    @Test
    void findNodeResponseWithRealCompactNodesReencodesByteForByte() throws Exception {
        String node1 = "mnopqrstuvwxyz123456" + "\n\u0000\u0000\u0001" + "\u001a\u00e1";
        String node2 = "abcdefghij0123456789" + "\u00c0\u00a8\u0001\u00c8" + "\u00ff\u00ff";
        String wire = "d1:rd2:id20:0123456789abcdefghij5:nodes52:" + node1 + node2 + "e1:t2:aa1:y1:re";

        KrpcResponse r = (KrpcResponse) KrpcCodec.decode(bytes(wire));

        assertThat(r.nodes()).containsExactly(new NodeInfo(M, ipv4(10, 0, 0, 1, 6881)),
                new NodeInfo(A, ipv4(192, 168, 1, 200, 65535)));
        assertThat(text(KrpcCodec.encode(r))).isEqualTo(wire);
    }

    @Test
    void bep51SampleInfohashesResponseDecodesToItsFields() throws Exception {
        String wire = "d1:rd2:id20:" + "m".repeat(20) + "8:intervali21600e3:numi7e7:samples40:" + "a".repeat(20)
                + "b".repeat(20) + "e1:t2:aa1:y1:re";
        KrpcResponse r = (KrpcResponse) KrpcCodec.decode(wire.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        KeySample s = r.sample().orElseThrow();
        assertThat(s.intervalSeconds()).isEqualTo(21_600);
        assertThat(s.num()).isEqualTo(7);
        assertThat(s.samples()).extracting(org.kadshare.overlay.dht.NodeId::toHex)
                .containsExactly("61".repeat(20), "62".repeat(20));
    }

    @Test
    void samplesThatAreNotAMultipleOf20BytesAreRejected() {
        String wire = "d1:rd2:id20:" + "m".repeat(20) + "8:intervali60e3:numi1e7:samples21:" + "a".repeat(21)
                + "e1:t2:aa1:y1:re";
        assertThatThrownBy(() -> KrpcCodec.decode(wire.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
                .isInstanceOf(KrpcDecodeException.class).hasMessageContaining("not a multiple of 20");
    }

    static Stream<KrpcMessage> everyKind() {
        return KrpcFixtures.everyKind().stream();
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void everyMessageKindRoundTrips(KrpcMessage message) throws Exception {
        byte[] wire = KrpcCodec.encode(message);

        assertThat(KrpcCodec.decode(wire)).isEqualTo(message);
        assertThat(wire.length).isLessThanOrEqualTo(KrpcCodec.MAX_DATAGRAM_BYTES);
    }

    @Test
    void clientVersionIsSentAsTopLevelV() {
        byte[] wire = KrpcCodec.encode(new PingQuery(T, A, Optional.of(ClientVersion.KADSHARE)));

        assertThat(text(wire)).isEqualTo("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:v4:KS011:y1:qe");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // BEP 42 "ip" at the top level, BEP 43 "ro", an unknown argument, a "v" that is no string
        "d1:ad2:id20:abcdefghij0123456789e2:ip6:abcdef1:q4:ping2:roi1e1:t2:aa1:y1:qe",
        "d1:ad2:id20:abcdefghij01234567894:wantl2:n4ee1:q4:ping1:t2:aa1:vi7e1:y1:qe",
        "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:v33:KS01KS01KS01KS01KS01KS01KS01KS01K1:y1:qe",
    })
    void unknownKeysAndUnusableVersionsAreIgnored(String wire) throws Exception {
        assertThat(KrpcCodec.decode(bytes(wire))).isEqualTo(new PingQuery(T, A, Optional.empty()));
    }

    @Test
    void unknownKeysInResponsesAreIgnored() throws Exception {
        String wire = "d1:rd2:id20:mnopqrstuvwxyz1234566:nodes60:e2:ro6:abcdef1:t2:aa1:y1:re";

        assertThat(KrpcCodec.decode(bytes(wire))).isEqualTo(KrpcResponse.ofId(T, M, Optional.empty()));
    }

    static Stream<Object[]> malformed() {
        String id = "2:id20:abcdefghij0123456789";
        String tail = "1:t2:aa1:y1:qe";
        return Stream.of(
                // not KRPC at all: no transaction ID can be read
                bad("", false, false),
                bad("garbage", false, false),
                bad("i42e", false, false),
                bad("l1:t2:aae", false, false),
                bad("d1:ad" + id + "e1:q4:ping1:t2:aa1:y1:q", false, false),
                bad("d1:ad" + id + "e1:q4:ping1:t2:aa1:y1:qee", false, false),
                bad("d1:ad" + id + "e1:q4:ping1:y1:qe", false, false),
                bad("d1:ad" + id + "e1:q4:ping1:ti1e1:y1:qe", false, false),
                bad("d1:ad" + id + "e1:q4:ping1:t0:1:y1:qe", false, false),
                bad("d1:ad" + id + "e1:q4:ping1:t33:" + "x".repeat(33) + "1:y1:qe", false, false),
                // the transaction ID is readable, the type is not
                bad("d1:ad" + id + "e1:q4:ping1:t2:aae", true, false),
                bad("d1:ad" + id + "e1:q4:ping1:t2:aa1:yi1ee", true, false),
                bad("d1:ad" + id + "e1:q4:ping1:t2:aa1:y1:xe", true, false),
                bad("d1:ad" + id + "e1:q4:ping1:t2:aa1:y2:qqe", true, false),
                // queries with bad arguments
                bad("d1:q4:ping" + tail, true, true),
                bad("d1:ad" + id + "e1:qi1e" + tail, true, true),
                bad("d1:al" + id + "e1:q4:ping" + tail, true, true),
                bad("d1:ade1:q4:ping" + tail, true, true),
                bad("d1:ad2:idi1ee1:q4:ping" + tail, true, true),
                bad("d1:ad2:id19:abcdefghij012345678e1:q4:ping" + tail, true, true),
                bad("d1:ad2:id21:abcdefghij0123456789Xe1:q4:ping" + tail, true, true),
                bad("d1:ad" + id + "6:target19:mnopqrstuvwxyz12345e1:q9:find_node" + tail, true, true),
                bad("d1:ad" + id + "6:target21:mnopqrstuvwxyz1234567e1:q9:find_node" + tail, true, true),
                bad("d1:ad" + id + "6:targetl20:mnopqrstuvwxyz123456ee1:q9:find_node" + tail, true, true),
                bad("d1:ad" + id + "e1:q9:get_peers" + tail, true, true),
                bad("d1:ad" + id + "9:info_hashi5ee1:q9:get_peers" + tail, true, true),
                bad(announce("4:porti0e"), true, true),
                bad(announce("4:porti65536e"), true, true),
                bad(announce("4:porti-1e"), true, true),
                bad(announce("4:port4:6881"), true, true),
                bad("d1:ad" + id + "9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token0:e"
                        + "1:q13:announce_peer" + tail, true, true),
                bad("d1:ad" + id + "9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:tokeni1ee"
                        + "1:q13:announce_peer" + tail, true, true),
                bad("d1:ad" + id + "9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token65:"
                        + "x".repeat(65) + "e1:q13:announce_peer" + tail, true, true),
                bad("d1:ad" + id + "3:key20:mnopqrstuvwxyz1234568:manifest0:5:token2:tte"
                        + "1:q12:put_manifest" + tail, true, true),
                bad("d1:ad" + id + "3:key20:mnopqrstuvwxyz1234568:manifest" + (EncodedManifest.MAX_BYTES + 1) + ":" + "x".repeat(EncodedManifest.MAX_BYTES + 1)
                        + "5:token2:tte1:q12:put_manifest" + tail, true, true),
                bad("d1:ad" + id + "3:key20:mnopqrstuvwxyz1234568:manifestd1:ai1ee5:token2:tte"
                        + "1:q12:put_manifest" + tail, true, true),
                bad("d1:ad" + id + "3:key19:mnopqrstuvwxyz12345e1:q13:get_manifests" + tail, true, true),
                // responses with bad fields
                bad("d1:rde1:t2:aa1:y1:re", true, false),
                bad("d1:ri5e1:t2:aa1:y1:re", true, false),
                bad("d1:r2:id1:t2:aa1:y1:re", true, false),
                bad("d1:rd2:id19:mnopqrstuvwxyz12345e1:t2:aa1:y1:re", true, false),
                bad("d1:rd2:id21:mnopqrstuvwxyz1234567e1:t2:aa1:y1:re", true, false),
                bad("d1:rd" + id + "5:nodes25:" + "n".repeat(25) + "e1:t2:aa1:y1:re", true, false),
                bad("d1:rd" + id + "5:nodes27:" + "n".repeat(27) + "e1:t2:aa1:y1:re", true, false),
                bad("d1:rd" + id + "5:nodesl26:" + "n".repeat(26) + "ee1:t2:aa1:y1:re", true, false),
                bad("d1:rd" + id + "5:nodes26:" + "n".repeat(24) + "\u0000\u0000e1:t2:aa1:y1:re", true, false),
                bad("d1:rd" + id + "6:values6:axje.ue1:t2:aa1:y1:re", true, false),
                bad("d1:rd" + id + "6:valuesl5:axje.ee1:t2:aa1:y1:re", true, false),
                bad("d1:rd" + id + "6:valuesl7:axje.uuee1:t2:aa1:y1:re", true, false),
                bad("d1:rd" + id + "6:valuesl18:" + "v".repeat(18) + "ee1:t2:aa1:y1:re", true, false),
                bad("d1:rd" + id + "6:valuesli1eee1:t2:aa1:y1:re", true, false),
                bad("d1:rd" + id + "6:valuesl6:axje\u0000\u0000ee1:t2:aa1:y1:re", true, false),
                bad("d1:rd" + id + "5:tokeni1ee1:t2:aa1:y1:re", true, false),
                bad("d1:rd" + id + "5:token0:e1:t2:aa1:y1:re", true, false),
                bad("d1:rd" + id + "9:manifests2:mme1:t2:aa1:y1:re", true, false),
                bad("d1:rd" + id + "9:manifestsli1eee1:t2:aa1:y1:re", true, false),
                bad("d1:rd" + id + "9:manifestsl0:ee1:t2:aa1:y1:re", true, false),
                bad("d1:rd" + id + "9:manifestsl1:a1:b1:c1:d1:eee1:t2:aa1:y1:re", true, false),
                // errors with bad fields
                bad("d1:e3:bad1:t2:aa1:y1:ee", true, false),
                bad("d1:eli201ee1:t2:aa1:y1:ee", true, false),
                bad("d1:el3:2013:msge1:t2:aa1:y1:ee", true, false),
                bad("d1:eli201ei5ee1:t2:aa1:y1:ee", true, false),
                bad("d1:eli-1e3:msge1:t2:aa1:y1:ee", true, false),
                bad("d1:eli4294967296e3:msge1:t2:aa1:y1:ee", true, false),
                bad("d1:eli201e3:msg3:fooe1:t2:aa1:y1:ee", true, false));
    }

    private static String announce(String portEntry) {
        return "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456" + portEntry
                + "5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe";
    }

    private static Object[] bad(String wire, boolean transactionIdReadable, boolean query) {
        return new Object[] {wire, transactionIdReadable, query};
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedMessagesAreProtocolErrors(String wire, boolean transactionIdReadable, boolean query) {
        assertDecodeFails(wire, KrpcError.PROTOCOL, transactionIdReadable, query);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vote", "put", "get", "PING", "\u00ff\u0000"})
    void unknownMethodsAreMethodUnknownErrorsCarryingTheTransactionId(String method) {
        String wire = "d1:ad2:id20:abcdefghij0123456789e1:q" + method.length() + ":" + method + "1:t2:aa1:y1:qe";

        KrpcDecodeException e = assertDecodeFails(wire, KrpcError.METHOD_UNKNOWN, true, true);

        assertThat(e.reply(Optional.empty())).hasValueSatisfying(reply -> {
            assertThat(reply.code()).isEqualTo(KrpcError.METHOD_UNKNOWN);
            assertThat(reply.transactionId()).isEqualTo(T);
        });
    }

    @Test
    void unknownMethodIsReportedEvenWithoutArguments() {
        assertDecodeFails("d1:q3:foo1:t2:aa1:y1:qe", KrpcError.METHOD_UNKNOWN, true, true);
    }

    @Test
    void badResponsesGetNoErrorReplySoErrorsCannotPingPong() {
        KrpcDecodeException e = assertDecodeFails("d1:rde1:t2:aa1:y1:re", KrpcError.PROTOCOL, true, false);

        assertThat(e.reply(Optional.of(ClientVersion.KADSHARE))).isEmpty();
    }

    @Test
    void badQueryGetsAProtocolErrorReplyThatFitsADatagram() {
        String longMethodArgs = "d1:ad2:id19:" + "x".repeat(19) + "e1:q4:ping1:t2:aa1:y1:qe";
        KrpcDecodeException e = assertDecodeFails(longMethodArgs, KrpcError.PROTOCOL, true, true);

        KrpcError reply = e.reply(Optional.of(ClientVersion.KADSHARE)).orElseThrow();

        assertThat(reply.code()).isEqualTo(KrpcError.PROTOCOL);
        assertThat(reply.message()).contains("id");
        assertThat(KrpcCodec.encode(reply).length).isLessThan(400);
    }

    @Test
    void oversizedDatagramIsRejectedBeforeParsing() {
        String pad = "x".repeat(KrpcCodec.MAX_DATAGRAM_BYTES);
        String wire = "d1:ad2:id20:abcdefghij01234567893:pad" + pad.length() + ":" + pad
                + "e1:q4:ping1:t2:aa1:y1:qe";

        assertDecodeFails(wire, KrpcError.PROTOCOL, false, false);
    }

    @Test
    void datagramOfExactlyTheLimitIsAccepted() throws Exception {
        String head = "d1:ad2:id20:abcdefghij01234567893:pad";
        String end = "e1:q4:ping1:t2:aa1:y1:qe";
        int padLength = KrpcCodec.MAX_DATAGRAM_BYTES - head.length() - end.length() - 5;
        String wire = head + padLength + ":" + "x".repeat(padLength) + end;

        assertThat(wire.length()).isEqualTo(KrpcCodec.MAX_DATAGRAM_BYTES);
        assertThat(KrpcCodec.decode(bytes(wire))).isInstanceOf(PingQuery.class);
    }

    @Test
    void nullDatagramIsAProtocolError() {
        assertThatThrownBy(() -> KrpcCodec.decode(null)).isInstanceOf(KrpcDecodeException.class);
    }

    @Test
    void encodingAMessageOverTheDatagramLimitFailsLoudly() {
        KrpcError huge = new KrpcError(T, KrpcError.SERVER, "x".repeat(KrpcCodec.MAX_DATAGRAM_BYTES),
                Optional.empty());

        assertThatThrownBy(() -> KrpcCodec.encode(huge))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over the datagram limit");
    }

    @Test
    void explicitImpliedPortZeroDecodesAsNotImplied() throws Exception {
        KrpcMessage m = KrpcCodec.decode(bytes("d1:ad2:id20:abcdefghij012345678912:implied_porti0e"
                + "9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer"
                + "1:t2:aa1:y1:qe"));

        assertThat(m).isEqualTo(new AnnouncePeerQuery(T, A, M, 6881, false, TOKEN, Optional.empty()));
    }

    @Test
    void impliedPortUsesTheSourcePort() {
        AnnouncePeerQuery implied = new AnnouncePeerQuery(T, A, M, 0, true, TOKEN, Optional.empty());
        AnnouncePeerQuery explicit = new AnnouncePeerQuery(T, A, M, 7000, false, TOKEN, Optional.empty());

        assertThat(implied.holderAddress(ipv4(1, 2, 3, 4, 5555))).isEqualTo(ipv4(1, 2, 3, 4, 5555));
        assertThat(explicit.holderAddress(ipv4(1, 2, 3, 4, 5555))).isEqualTo(ipv4(1, 2, 3, 4, 7000));
    }

    @Test
    void errorMessagesThatAreNotUtf8DecodeWithoutFailing() throws Exception {
        KrpcMessage m = KrpcCodec.decode(bytes("d1:eli202e2:\u00ff\u00fee1:t2:aa1:y1:ee"));

        assertThat(m).isInstanceOfSatisfying(KrpcError.class, e -> assertThat(e.code()).isEqualTo(202));
    }

    @Test
    void emptyListsAreOmittedOnTheWire() {
        KrpcResponse r = new KrpcResponse(T, M, List.of(), List.of(), Optional.empty(), List.of(), Optional.empty());

        assertThat(text(KrpcCodec.encode(r))).isEqualTo("d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re");
    }

    private static KrpcDecodeException assertDecodeFails(String wire, int code, boolean transactionIdReadable,
            boolean query) {
        KrpcDecodeException e = org.junit.jupiter.api.Assertions.assertThrows(KrpcDecodeException.class,
                () -> KrpcCodec.decode(bytes(wire)), () -> "should reject " + wire);
        assertThat(e.errorCode()).as("error code for %s (%s)", wire, e.getMessage()).isEqualTo(code);
        assertThat(e.transactionId()).as("transaction ID for %s (%s)", wire, e.getMessage())
                .isEqualTo(transactionIdReadable ? Optional.of(T) : Optional.empty());
        assertThat(e.isQuery()).as("query flag for %s (%s)", wire, e.getMessage()).isEqualTo(query);
        return e;
    }
}
