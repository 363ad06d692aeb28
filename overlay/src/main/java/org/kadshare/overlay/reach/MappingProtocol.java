package org.kadshare.overlay.reach;

/** The transport a port mapping is for, with its NAT-PMP opcode (RFC 6886 section 3.3). */
public enum MappingProtocol {
    /** The DHT's port. */
    UDP(1),
    /** The block server's port. */
    TCP(2);

    private final int opcode;

    MappingProtocol(int opcode) {
        this.opcode = opcode;
    }

    int opcode() {
        return opcode;
    }
}
