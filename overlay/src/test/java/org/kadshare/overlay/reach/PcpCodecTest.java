package org.kadshare.overlay.reach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PcpCodecTest {
    private static final byte[] NONCE = HexFormat.of().parseHex("0102030405060708090a0b0c");

    private static Inet4Address ip(String a) throws Exception {
        return (Inet4Address) InetAddress.getByName(a);
    }

    /** A MAP answer as RFC 6887 lays it out: header, nonce, protocol, internal and external port, address. */
    private static byte[] answer(int result, byte[] nonce, int protocol, int internal, int external) {
        return ByteBuffer.allocate(60).put((byte) 2).put((byte) 0x81).put((byte) 0).put((byte) result).putInt(3600)
                .putInt(99).put(new byte[12]).put(nonce).put((byte) protocol).put(new byte[3])
                .putShort((short) internal).putShort((short) external).put(new byte[10]).put((byte) 0xff)
                .put((byte) 0xff).put(new byte[] {(byte) 198, 51, 100, 7}).array();
    }

    @Test
    void aMapRequestCarriesVersionTwoTheLifetimeTheClientAddressTheNonceAndThePortsAsTheRfcLaysThemOut()
            throws Exception {
        byte[] r = PcpCodec.mapRequest(NONCE, MappingProtocol.TCP, 4870, 4871, ip("198.51.100.7"), 7200,
                ip("192.168.51.10"));
        assertThat(HexFormat.of().formatHex(r)).isEqualTo("0201" + "0000" + "00001c20"
                + "00000000000000000000ffff" + "c0a8330a"
                + "0102030405060708090a0b0c" + "06" + "000000" + "1306" + "1307"
                + "00000000000000000000ffff" + "c6336407");
        byte[] udp = PcpCodec.mapRequest(NONCE, MappingProtocol.UDP, 4870, 0, ip("0.0.0.0"), 0, ip("10.0.0.1"));
        assertThat(udp[36]).isEqualTo((byte) 17);
        assertThat(udp).hasSize(PcpCodec.MAP_BYTES);
    }

    @Test
    void aGrantedAnswerGivesTheAssignedPortAddressLifetimeAndEpoch() throws Exception {
        PcpAnswer a = PcpCodec.mapAnswer(answer(0, NONCE, 6, 4870, 5000), NONCE, MappingProtocol.TCP, 4870);
        assertThat(a).isEqualTo(new PcpAnswer(2, 0, 3600, 99, 5000, ip("198.51.100.7")));
    }

    @Test
    void anAnswerForAnotherNonceProtocolOrPortIsRefused() {
        byte[] otherNonce = Arrays.copyOf(NONCE, 12);
        otherNonce[0] = 9;
        assertThatThrownBy(() -> PcpCodec.mapAnswer(answer(0, otherNonce, 6, 4870, 4870), NONCE, MappingProtocol.TCP,
                4870)).isInstanceOf(PcpException.class).hasMessageContaining("nonce is not ours");
        assertThatThrownBy(() -> PcpCodec.mapAnswer(answer(0, NONCE, 17, 4870, 4870), NONCE, MappingProtocol.TCP,
                4870)).hasMessageContaining("for protocol 17 port 4870, not TCP 4870");
        assertThatThrownBy(() -> PcpCodec.mapAnswer(answer(0, NONCE, 6, 4871, 4870), NONCE, MappingProtocol.TCP,
                4870)).hasMessageContaining("for protocol 6 port 4871");
    }

    @Test
    void aNatPmpServersUnsupportedVersionIsReadAsAnAnswerOfVersionZero() throws Exception {
        byte[] natPmp = {0, (byte) 129, 0, 1, 0, 0, 0, 5};
        assertThat(PcpCodec.isMapAnswer(natPmp)).isTrue();
        PcpAnswer a = PcpCodec.mapAnswer(natPmp, NONCE, MappingProtocol.UDP, 4870);
        assertThat(a.version()).isZero();
        assertThat(a.resultCode()).isEqualTo(PcpCodec.UNSUPP_VERSION);
    }

    @Test
    void datagramsOfTheWrongSizeOrOpcodeAreNotAnswers() {
        byte[] ok = answer(0, NONCE, 6, 4870, 4870);
        assertThat(PcpCodec.isMapAnswer(ok)).isTrue();
        assertThat(PcpCodec.isMapAnswer(Arrays.copyOf(ok, 3))).isFalse();
        assertThat(PcpCodec.isMapAnswer(Arrays.copyOf(ok, 62))).as("not a multiple of 4").isFalse();
        assertThat(PcpCodec.isMapAnswer(Arrays.copyOf(ok, 1104))).as("over 1100 bytes").isFalse();
        byte[] request = ok.clone();
        request[1] = 1;
        assertThat(PcpCodec.isMapAnswer(request)).as("a request, not an answer").isFalse();
    }

    @Test
    void aRefusalIsReadEvenWithoutTheMapData() throws Exception {
        byte[] header = Arrays.copyOf(answer(PcpCodec.NOT_AUTHORIZED, NONCE, 6, 4870, 0), 24);
        assertThat(PcpCodec.mapAnswer(header, NONCE, MappingProtocol.TCP, 4870).resultCode())
                .isEqualTo(PcpCodec.NOT_AUTHORIZED);
    }
}
