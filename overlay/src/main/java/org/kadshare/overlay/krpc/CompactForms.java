package org.kadshare.overlay.krpc;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.kadshare.overlay.dht.NodeId;

/**
 * The BEP 5 compact forms: node info = 20-byte ID, 4-byte IPv4, 2-byte big-endian port; peer info
 * = 4-byte IPv4, 2-byte big-endian port. Malformed input raises a checked exception that names
 * the entry; the decoder turns it into a protocol error.
 */
final class CompactForms {
    private static final int IPV4_BYTES = 4;

    private CompactForms() {
    }

    static byte[] nodes(List<NodeInfo> nodes) {
        byte[] out = new byte[nodes.size() * NodeInfo.COMPACT_BYTES];
        int at = 0;
        for (NodeInfo n : nodes) {
            System.arraycopy(n.id().toBytes(), 0, out, at, NodeId.LENGTH_BYTES);
            writeEndpoint(n.address(), out, at + NodeId.LENGTH_BYTES);
            at += NodeInfo.COMPACT_BYTES;
        }
        return out;
    }

    static byte[] peer(PeerInfo peer) {
        byte[] out = new byte[PeerInfo.COMPACT_BYTES];
        writeEndpoint(peer.address(), out, 0);
        return out;
    }

    /** The node infos in {@code compact}, whose length must be a multiple of 26. */
    static List<NodeInfo> parseNodes(byte[] compact) throws MalformedCompactException {
        if (compact.length % NodeInfo.COMPACT_BYTES != 0) {
            throw new MalformedCompactException("\"nodes\" is " + compact.length
                    + " bytes, not a multiple of " + NodeInfo.COMPACT_BYTES);
        }
        int count = compact.length / NodeInfo.COMPACT_BYTES;
        List<NodeInfo> nodes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = i * NodeInfo.COMPACT_BYTES;
            byte[] id = new byte[NodeId.LENGTH_BYTES];
            System.arraycopy(compact, at, id, 0, NodeId.LENGTH_BYTES);
            InetSocketAddress address = readEndpoint(compact, at + NodeId.LENGTH_BYTES, "node " + i);
            nodes.add(new NodeInfo(NodeId.of(id), address));
        }
        return nodes;
    }

    /** The peer info in {@code compact}, which must be 6 bytes. */
    static PeerInfo parsePeer(byte[] compact, int index) throws MalformedCompactException {
        if (compact.length != PeerInfo.COMPACT_BYTES) {
            throw new MalformedCompactException("\"values\" entry " + index + " is " + compact.length
                    + " bytes, not " + PeerInfo.COMPACT_BYTES);
        }
        return new PeerInfo(readEndpoint(compact, 0, "\"values\" entry " + index));
    }

    private static void writeEndpoint(InetSocketAddress address, byte[] out, int at) {
        System.arraycopy(address.getAddress().getAddress(), 0, out, at, IPV4_BYTES);
        out[at + IPV4_BYTES] = (byte) (address.getPort() >>> 8);
        out[at + IPV4_BYTES + 1] = (byte) address.getPort();
    }

    private static InetSocketAddress readEndpoint(byte[] in, int at, String what)
            throws MalformedCompactException {
        byte[] ip = new byte[IPV4_BYTES];
        System.arraycopy(in, at, ip, 0, IPV4_BYTES);
        int port = ((in[at + IPV4_BYTES] & 0xff) << 8) | (in[at + IPV4_BYTES + 1] & 0xff);
        if (port == 0) {
            throw new MalformedCompactException(what + " has port 0");
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }

    /** A compact node or peer info is malformed. */
    static final class MalformedCompactException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedCompactException(String message) {
            super(message);
        }
    }
}
