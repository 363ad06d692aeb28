package org.kadshare.overlay.reach;

import java.io.IOException;
import java.net.Inet4Address;
import java.util.function.Predicate;

/** Sends one PCP request to the gateway and returns its answer (a fake server in tests). */
interface PcpTransport {
    /** The first datagram from the gateway's PCP port that {@code isAnswer} accepts; the others are dropped. */
    byte[] exchange(byte[] request, Predicate<byte[]> isAnswer) throws IOException;

    /** This host's address towards the gateway: the client address a PCP request carries. */
    Inet4Address localAddress() throws IOException;

    /** Where the requests go, for messages. */
    String gateway();
}
