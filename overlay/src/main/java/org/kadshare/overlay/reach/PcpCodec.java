package org.kadshare.overlay.reach;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * PCP's MAP request and answer (RFC 6887 sections 7 and 11), version 2, big-endian, sent to the
 * gateway's UDP port 5351 (NAT-PMP's port). IPv4 addresses travel as IPv4-mapped IPv6 addresses
 * ({@code ::ffff:a.b.c.d}). Pure functions; an answer that is short, of another opcode, or for
 * another mapping is an error that says which. A NAT-PMP server answers a PCP request with its own
 * "unsupported version" (version 0): {@link #mapAnswer} reports it as {@link PcpAnswer#version()}
 * 0, which is what version negotiation falls back on.
 */
final class PcpCodec {
    /** The PCP version this client speaks. */
    static final int VERSION = 2;
    /** Largest PCP message (section 7). */
    static final int MAX_MESSAGE_BYTES = 1100;
    /** The mapping nonce's length. */
    static final int NONCE_BYTES = 12;
    /** A MAP request or answer without options: 24-byte header and 36 bytes of MAP data. */
    static final int MAP_BYTES = 60;
    /** The answer bit over the opcode. */
    private static final int RESPONSE = 0x80;
    private static final int OPCODE_MAP = 1;
    private static final int IANA_TCP = 6;
    private static final int IANA_UDP = 17;
    private static final byte[] IPV4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    /** Result codes (section 7.4) the client acts on. */
    static final int SUCCESS = 0;
    static final int UNSUPP_VERSION = 1;
    static final int NOT_AUTHORIZED = 2;
    static final int CANNOT_PROVIDE_EXTERNAL = 11;

    private PcpCodec() {
    }

    /**
     * A MAP request from {@code client} (this host's address towards the gateway, which the
     * server checks against the packet's source) for {@code internalPort}, preferably at
     * {@code suggestedPort} on {@code suggestedAddress} (0 and 0.0.0.0: no preference), for
     * {@code lifetimeSeconds}; lifetime 0 with the mapping's nonce deletes it.
     */
    static byte[] mapRequest(byte[] nonce, MappingProtocol protocol, int internalPort, int suggestedPort,
            Inet4Address suggestedAddress, long lifetimeSeconds, Inet4Address client) {
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("a mapping nonce has " + NONCE_BYTES + " bytes, not " + nonce.length);
        }
        if (internalPort < 1 || internalPort > 65_535 || suggestedPort < 0 || suggestedPort > 65_535) {
            throw new IllegalArgumentException("ports " + internalPort + " and " + suggestedPort + " out of range");
        }
        if (lifetimeSeconds < 0 || lifetimeSeconds > NatPmpCodec.MAX_LIFETIME_SECONDS) {
            throw new IllegalArgumentException("lifetime " + lifetimeSeconds + " s is not in 0.."
                    + NatPmpCodec.MAX_LIFETIME_SECONDS);
        }
        ByteBuffer out = ByteBuffer.allocate(MAP_BYTES);
        out.put((byte) VERSION).put((byte) OPCODE_MAP).putShort((short) 0).putInt((int) lifetimeSeconds);
        putAddress(out, client);
        out.put(nonce).put((byte) ianaNumber(protocol)).put(new byte[3]);
        out.putShort((short) internalPort).putShort((short) suggestedPort);
        putAddress(out, suggestedAddress);
        return out.array();
    }

    /**
     * Whether a datagram is a PCP (or NAT-PMP) answer to a MAP request at all: what the client
     * waits for. Anything else (shorter than 4 bytes, longer than {@link #MAX_MESSAGE_BYTES}, not a
     * multiple of 4, or not an answer to MAP) is dropped unread, as section 8.3 says.
     */
    static boolean isMapAnswer(byte[] datagram) {
        return datagram.length >= 4 && datagram.length <= MAX_MESSAGE_BYTES && datagram.length % 4 == 0
                && (datagram[1] & 0xff) == (RESPONSE | OPCODE_MAP);
    }

    /**
     * The answer to a MAP request with {@code nonce} for {@code protocol} and
     * {@code internalPort}. An answer of another version carries only its version and result
     * code (its layout is not ours to read).
     */
    static PcpAnswer mapAnswer(byte[] reply, byte[] nonce, MappingProtocol protocol, int internalPort)
            throws PcpException {
        if (!isMapAnswer(reply)) {
            throw new PcpException("a PCP answer of " + reply.length + " bytes that is not an answer to MAP");
        }
        ByteBuffer in = ByteBuffer.wrap(reply);
        int version = in.get(0) & 0xff;
        if (version != VERSION) {
            // NAT-PMP's result code is 16 bits where PCP's is a reserved byte and 8 bits.
            return PcpAnswer.otherVersion(version, in.getShort(2) & 0xffff);
        }
        int result = in.get(3) & 0xff;
        long lifetime = in.getInt(4) & 0xffff_ffffL;
        if (reply.length < MAP_BYTES) {
            if (result != SUCCESS) {
                return PcpAnswer.refusal(result, lifetime);
            }
            throw new PcpException("a PCP MAP answer of " + reply.length + " bytes, expected at least " + MAP_BYTES);
        }
        long epoch = in.getInt(8) & 0xffff_ffffL;
        byte[] theirs = new byte[NONCE_BYTES];
        in.position(24);
        in.get(theirs);
        if (!java.util.Arrays.equals(theirs, nonce)) {
            throw new PcpException("a PCP MAP answer for another mapping (its nonce is not ours)");
        }
        int proto = in.get() & 0xff;
        in.position(in.position() + 3);
        int internal = in.getShort() & 0xffff;
        int external = in.getShort() & 0xffff;
        byte[] address = new byte[16];
        in.get(address);
        if (proto != ianaNumber(protocol) || internal != internalPort) {
            throw new PcpException("a PCP MAP answer for protocol " + proto + " port " + internal + ", not "
                    + protocol + " " + internalPort);
        }
        if (result != SUCCESS) {
            return PcpAnswer.refusal(result, lifetime);
        }
        if (!java.util.Arrays.equals(address, 0, 12, IPV4_MAPPED_PREFIX, 0, 12)) {
            throw new PcpException("a PCP MAP answer whose external address is not an IPv4 address");
        }
        return new PcpAnswer(VERSION, result, lifetime, epoch, external, ipv4(address));
    }

    /** What a result code means (section 7.4). */
    static String result(int code) {
        return switch (code) {
            case SUCCESS -> "success";
            case UNSUPP_VERSION -> "UNSUPP_VERSION (the server speaks another version)";
            case NOT_AUTHORIZED -> "NOT_AUTHORIZED (the router does not let this host map ports)";
            case 3 -> "MALFORMED_REQUEST";
            case 4 -> "UNSUPP_OPCODE (the router does not map ports by PCP)";
            case 5 -> "UNSUPP_OPTION";
            case 6 -> "MALFORMED_OPTION";
            case 7 -> "NETWORK_FAILURE (the router cannot map now)";
            case 8 -> "NO_RESOURCES (the router has no room for more mappings now)";
            case 9 -> "UNSUPP_PROTOCOL";
            case 10 -> "USER_EX_QUOTA (this host has all the mappings the router allows it)";
            case CANNOT_PROVIDE_EXTERNAL -> "CANNOT_PROVIDE_EXTERNAL (the external port or address asked for is taken)";
            case 12 -> "ADDRESS_MISMATCH (a NAT between this host and the router changes its address)";
            case 13 -> "EXCESSIVE_REMOTE_PEERS";
            default -> "result code " + code;
        };
    }

    private static int ianaNumber(MappingProtocol protocol) {
        return protocol == MappingProtocol.TCP ? IANA_TCP : IANA_UDP;
    }

    private static void putAddress(ByteBuffer out, Inet4Address a) {
        out.put(IPV4_MAPPED_PREFIX).put(a.getAddress());
    }

    private static Inet4Address ipv4(byte[] mapped) {
        try {
            return (Inet4Address) InetAddress.getByAddress(java.util.Arrays.copyOfRange(mapped, 12, 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }
}
