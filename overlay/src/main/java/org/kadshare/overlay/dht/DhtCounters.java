package org.kadshare.overlay.dht;

/**
 * What a {@link DhtNode} dropped or refused, for status pages and tests.
 *
 * @param garbage         datagrams dropped without reply (undecodable, no transaction ID)
 * @param malformed       queries answered with a KRPC error (bad arguments, bad token, unknown method)
 * @param rateLimited     queries dropped by the per-source rate limiter
 * @param unknownReplies  replies matching no pending query of ours (unknown, late, wrong sender)
 * @param queriesAnswered queries answered with a response
 * @param queriesRefused  our own queries not sent: too many were pending, or a peer's pacing
 *                        turn was further away than a query timeout
 * @param queriesPaced    our own queries delayed to stay under a peer's rate limit
 * @param lookupsJoined   lookups that joined one already running for the same key and kind
 */
public record DhtCounters(long garbage, long malformed, long rateLimited, long unknownReplies,
                          long queriesAnswered, long queriesRefused, long queriesPaced, long lookupsJoined) {}
