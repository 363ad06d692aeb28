package org.kadshare.overlay.dht;

/**
 * The running counts behind {@link DhtCounters}: what the node dropped, refused, paced and
 * answered so far. Each part of the node counts its own events here; {@link #snapshot()} is what
 * the status shows.
 */
final class DhtTally {
    long garbage;
    long malformed;
    long rateLimited;
    long unknownReplies;
    long queriesAnswered;
    long queriesRefused;
    long queriesPaced;
    long lookupsJoined;

    DhtCounters snapshot() {
        return new DhtCounters(garbage, malformed, rateLimited, unknownReplies, queriesAnswered, queriesRefused,
                queriesPaced, lookupsJoined);
    }
}
