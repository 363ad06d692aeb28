package org.kadshare.overlay.reach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NatPmpCodecTest {
    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void externalAddressRequestIsVersionZeroOpcodeZero() {
        assertThat(NatPmpCodec.externalAddressRequest()).containsExactly(0, 0);
    }

    @Test
    void mappingRequestCarriesProtocolPortsAndLifetimeBigEndian() {
        assertThat(NatPmpCodec.mappingRequest(MappingProtocol.TCP, 4870, 4871, 7200))
                .containsExactly(bytes(0, 2, 0, 0, 0x13, 0x06, 0x13, 0x07, 0, 0, 0x1c, 0x20));
        assertThat(NatPmpCodec.mappingRequest(MappingProtocol.UDP, 65535, 0, 0xffff_ffffL))
                .containsExactly(bytes(0, 1, 0, 0, 0xff, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff));
    }

    @Test
    void mappingRequestRefusesPortsAndLifetimesOutOfRange() {
        assertThatThrownBy(() -> NatPmpCodec.mappingRequest(MappingProtocol.TCP, 0, 0, 60))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("internal port 0");
        assertThatThrownBy(() -> NatPmpCodec.mappingRequest(MappingProtocol.TCP, 1, 70_000, 60))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
        assertThatThrownBy(() -> NatPmpCodec.mappingRequest(MappingProtocol.TCP, 1, 1, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lifetime");
    }

    @Test
    void externalAddressAnswerGivesTheRoutersAddress() throws Exception {
        byte[] reply = bytes(0, 128, 0, 0, 0, 0, 0x4e, 0x20, 11, 77, 5, 1);
        assertThat(NatPmpCodec.externalAddress(reply)).isEqualTo(InetAddress.getByName("11.77.5.1"));
    }

    @Test
    void mappingAnswerGivesTheGrantedExternalPortWhichMayDifferFromTheOneAsked() throws Exception {
        byte[] reply = bytes(0, 130, 0, 0, 0, 0, 0x01, 0x00, 0x13, 0x06, 0xc3, 0x50, 0, 0, 0x0e, 0x10);
        assertThat(NatPmpCodec.mapping(reply, MappingProtocol.TCP))
                .isEqualTo(new NatPmpMappingReply(MappingProtocol.TCP, 256, 4870, 50_000, 3600));
    }

    @Test
    void refusalSaysWhatTheResultCodeMeans() {
        byte[] refused = bytes(0, 130, 0, 2, 0, 0, 0, 9, 0x13, 0x06, 0, 0, 0, 0, 0, 0);
        assertThatThrownBy(() -> NatPmpCodec.mapping(refused, MappingProtocol.TCP))
                .isInstanceOf(NatPmpException.class).hasMessage("the router refused: not authorized or refused");
    }

    @Test
    void answersOfAnotherOpcodeVersionOrTooShortAreErrors() {
        byte[] udp = bytes(0, 129, 0, 0, 0, 0, 0, 9, 0x13, 0x06, 0x13, 0x06, 0, 0, 0, 60);
        assertThatThrownBy(() -> NatPmpCodec.mapping(udp, MappingProtocol.TCP))
                .isInstanceOf(NatPmpException.class).hasMessageContaining("opcode 129, expected 130");
        assertThatThrownBy(() -> NatPmpCodec.externalAddress(bytes(2, 128, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4)))
                .isInstanceOf(NatPmpException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> NatPmpCodec.externalAddress(bytes(0, 128, 0, 0, 0, 0, 0, 0, 1, 2)))
                .isInstanceOf(NatPmpException.class).hasMessageContaining("10 bytes, expected 12");
        assertThatThrownBy(() -> NatPmpCodec.externalAddress(bytes(0, 128)))
                .isInstanceOf(NatPmpException.class).hasMessageContaining("too short");
    }

    @Test
    void replyOpcodeTellsAnswersApartFromRequests() {
        assertThat(NatPmpCodec.replyOpcode(bytes(0, 130, 0, 0))).isEqualTo(2);
        assertThat(NatPmpCodec.replyOpcode(bytes(0, 2))).isEqualTo(-1);
        assertThat(NatPmpCodec.replyOpcode(bytes(0))).isEqualTo(-1);
    }
}
