package org.kadshare.overlay.dht;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcResponse;

/**
 * How big an answer may be: to a querier that has not shown a valid token, at most
 * {@link #AMPLIFICATION_PERCENT} of its query's size, so a spoofed source address cannot turn
 * the node into an amplifier (docs/PROTOCOL.md "No amplification"). Pure: the answers are
 * arguments, the trimmed answers and datagrams the results.
 */
final class AmplificationBudget {
    /**
     * An answer to a querier that has not shown a valid token is at most this percentage of the
     * size of its query (so a spoofed source address cannot turn the node into an amplifier).
     */
    static final int AMPLIFICATION_PERCENT = 350;
    /**
     * Bytes BEP 42's "ip" adds to a response ({@code 2:ip6:} and the 6-byte compact address): trimmed
     * answers leave room for it, so that lookups tell a node behind a NAT its address too.
     */
    static final int REQUESTER_FIELD_BYTES = 12;

    private AmplificationBudget() {
    }

    /** The bytes a trimmed answer to a {@code queryBytes} query may take, leaving room for the "ip". */
    static int trimmedAnswerBytes(int queryBytes) {
        return queryBytes * AMPLIFICATION_PERCENT / 100 - REQUESTER_FIELD_BYTES;
    }

    /**
     * {@code full} itself for a querier that proved it receives our datagrams; otherwise without
     * manifests and with as many values as keep it within {@link #AMPLIFICATION_PERCENT} of the
     * query's size, saying how many it withheld (the token in it gets them on a second query).
     */
    static KrpcResponse withinBudget(KrpcResponse full, boolean proven, int queryBytes) {
        int budget = trimmedAnswerBytes(queryBytes);
        if (proven || (full.manifests().isEmpty() && full.keywords().isEmpty() && full.relayed().isEmpty()
                && KrpcCodec.encode(full).length <= budget)) {
            return full;
        }
        int keep = full.values().size();
        KrpcResponse trimmed;
        do {
            trimmed = new KrpcResponse(full.transactionId(), full.responderId(), full.nodes(),
                    full.values().subList(0, keep), full.token(), List.of(),
                    full.values().size() - keep + full.manifests().size() + full.keywords().size()
                            + full.relayed().size(), full.version());
        } while (keep-- > 0 && KrpcCodec.encode(trimmed).length > budget);
        return trimmed;
    }

    /**
     * {@code reply}'s datagram, a response with BEP 42's "ip" (where the query came from, so a
     * node behind a NAT learns its external address) unless that would take it over
     * {@link #AMPLIFICATION_PERCENT} of the query.
     */
    static byte[] encodeTellingWhereFrom(KrpcMessage reply, InetSocketAddress from, int queryBytes) {
        if (reply instanceof KrpcResponse r && from.getAddress() instanceof Inet4Address && from.getPort() != 0) {
            byte[] told = KrpcCodec.encode(r.toRequester(from));
            if (told.length <= queryBytes * AMPLIFICATION_PERCENT / 100) {
                return told;
            }
        }
        return KrpcCodec.encode(reply);
    }
}
