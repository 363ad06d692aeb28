package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kadshare.overlay.krpc.Token;

/**
 * The write tokens other nodes handed us, by their address, so that a later get_peers or
 * get_manifests to the same node can carry one and get the full answer at once (a node answers
 * a querier that has not proven it receives datagrams with at most about 3.5 times the query's
 * size). At most {@code maxPeers} are kept, the least recently used forgotten first; a token
 * older than {@code maxAgeMillis} is not offered (the asking side learns a fresh one anyway).
 */
final class PeerTokens {
    private record Held(Token token, long receivedMillis) {}

    private final int maxPeers;
    private final long maxAgeMillis;
    private final LinkedHashMap<InetSocketAddress, Held> tokens;

    PeerTokens(int maxPeers, long maxAgeMillis) {
        if (maxPeers < 1 || maxAgeMillis < 1) {
            throw new IllegalArgumentException("peer tokens need positive maxPeers and maxAgeMillis: "
                    + maxPeers + ", " + maxAgeMillis);
        }
        this.maxPeers = maxPeers;
        this.maxAgeMillis = maxAgeMillis;
        this.tokens = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Held> eldest) {
                return size() > PeerTokens.this.maxPeers;
            }
        };
    }

    void remember(InetSocketAddress peer, Token token, long nowMillis) {
        tokens.put(peer, new Held(token, nowMillis));
    }

    /** The token {@code peer} gave us, if it is recent enough to be accepted still; else null. */
    Token recent(InetSocketAddress peer, long nowMillis) {
        Held held = tokens.get(peer);
        if (held == null) {
            return null;
        }
        if (nowMillis - held.receivedMillis() >= maxAgeMillis) {
            tokens.remove(peer);
            return null;
        }
        return held.token();
    }

    int size() {
        return tokens.size();
    }
}
