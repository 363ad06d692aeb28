package org.kadshare.overlay.reach;

import java.io.IOException;

/** Sends one NAT-PMP request to the gateway and returns its answer (a fake router in tests). */
interface NatPmpTransport {
    /** The answer to {@code request} whose opcode matches it. */
    byte[] exchange(byte[] request) throws IOException;

    /** Where the requests go, for messages. */
    String gateway();
}
