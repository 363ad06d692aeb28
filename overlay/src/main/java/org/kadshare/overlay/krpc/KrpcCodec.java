package org.kadshare.overlay.krpc;

/** Placeholder until the bencode codec lands. */
public final class KrpcCodec {
    /** Largest datagram encoded or accepted. */
    public static final int MAX_DATAGRAM_BYTES = 8192;

    private KrpcCodec() {
    }
}
