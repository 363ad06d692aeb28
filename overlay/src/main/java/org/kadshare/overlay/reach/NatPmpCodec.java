package org.kadshare.overlay.reach;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * NAT-PMP's messages (RFC 6886): the external-address request and answer, and the mapping
 * request and answer, all version 0, big-endian, sent to the gateway's UDP port 5351. Pure
 * functions; a reply that is short, of another version or opcode, or refused is an error that
 * says which.
 */
final class NatPmpCodec {
    /** The gateway's NAT-PMP port. */
    static final int PORT = 5351;
    /** Largest lifetime a request asks for: RFC 6886's field is 32 bits. */
    static final long MAX_LIFETIME_SECONDS = 0xffff_ffffL;
    private static final int VERSION = 0;
    private static final int OPCODE_EXTERNAL_ADDRESS = 0;
    private static final int REPLY = 128;

    private NatPmpCodec() {
    }

    /** The external-address request: version 0, opcode 0. */
    static byte[] externalAddressRequest() {
        return new byte[] {VERSION, OPCODE_EXTERNAL_ADDRESS};
    }

    /**
     * A request to map {@code internalPort}, preferably to {@code suggestedExternalPort}, for
     * {@code lifetimeSeconds}; a lifetime of 0 with a suggested port of 0 deletes the mapping.
     */
    static byte[] mappingRequest(MappingProtocol protocol, int internalPort, int suggestedExternalPort,
            long lifetimeSeconds) {
        port("internal port", internalPort, 1);
        port("suggested external port", suggestedExternalPort, 0);
        if (lifetimeSeconds < 0 || lifetimeSeconds > MAX_LIFETIME_SECONDS) {
            throw new IllegalArgumentException("lifetime " + lifetimeSeconds + " s is not in 0.." + MAX_LIFETIME_SECONDS);
        }
        return ByteBuffer.allocate(12).put((byte) VERSION).put((byte) protocol.opcode()).putShort((short) 0)
                .putShort((short) internalPort).putShort((short) suggestedExternalPort)
                .putInt((int) lifetimeSeconds).array();
    }

    /** The external address in an answer to {@link #externalAddressRequest()}. */
    static Inet4Address externalAddress(byte[] reply) throws NatPmpException {
        ByteBuffer in = header(reply, OPCODE_EXTERNAL_ADDRESS, 12);
        byte[] ip = new byte[4];
        in.get(ip);
        try {
            return (Inet4Address) InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }

    /** The mapping in an answer to {@link #mappingRequest} for {@code protocol}. */
    static NatPmpMappingReply mapping(byte[] reply, MappingProtocol protocol) throws NatPmpException {
        ByteBuffer in = header(reply, protocol.opcode(), 16);
        long epoch = in.getInt(4) & 0xffff_ffffL;
        int internal = in.getShort(8) & 0xffff;
        int external = in.getShort(10) & 0xffff;
        long lifetime = in.getInt(12) & 0xffff_ffffL;
        return new NatPmpMappingReply(protocol, epoch, internal, external, lifetime);
    }

    /** The opcode an answer is for, or -1 if it is too short to say. */
    static int replyOpcode(byte[] reply) {
        return reply.length >= 2 && (reply[1] & 0xff) >= REPLY ? (reply[1] & 0xff) - REPLY : -1;
    }

    /** What a result code means (RFC 6886 section 3.5). */
    static String result(int code) {
        return switch (code) {
            case 0 -> "success";
            case 1 -> "unsupported version";
            case 2 -> "not authorized or refused";
            case 3 -> "network failure";
            case 4 -> "out of resources";
            case 5 -> "unsupported opcode";
            default -> "result code " + code;
        };
    }

    private static ByteBuffer header(byte[] reply, int opcode, int length) throws NatPmpException {
        if (reply.length < 4) {
            throw new NatPmpException("NAT-PMP answer of " + reply.length + " bytes is too short");
        }
        ByteBuffer in = ByteBuffer.wrap(reply);
        int version = in.get(0) & 0xff;
        if (version != VERSION) {
            throw new NatPmpException("NAT-PMP answer of version " + version + ", not " + VERSION);
        }
        int op = in.get(1) & 0xff;
        if (op != REPLY + opcode) {
            throw new NatPmpException("NAT-PMP answer with opcode " + op + ", expected " + (REPLY + opcode));
        }
        int code = in.getShort(2) & 0xffff;
        if (code != 0) {
            throw new NatPmpException("the router refused: " + result(code));
        }
        if (reply.length < length) {
            throw new NatPmpException("NAT-PMP answer of " + reply.length + " bytes, expected " + length);
        }
        in.position(8);
        return in;
    }

    private static void port(String what, int port, int min) {
        if (port < min || port > 65_535) {
            throw new IllegalArgumentException(what + " " + port + " is not in " + min + "..65535");
        }
    }
}
