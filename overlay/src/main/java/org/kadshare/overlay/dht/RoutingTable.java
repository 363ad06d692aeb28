package org.kadshare.overlay.dht;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The Kademlia routing table of BEP 5, as pure decisions: it never sends anything.
 *
 * <p>Design note. Buckets are a list where bucket {@code i < last} holds the contacts sharing
 * exactly {@code i} leading bits with our ID, and the last bucket holds all contacts sharing at
 * least {@code last} bits. Only the last bucket (the one that covers our own ID) splits, as in
 * BEP 5 and the Kademlia paper: the table stays O(k log n) and is detailed near our ID, where
 * lookups end. A fixed 160-bucket layout would give the same contents but wastes 150 empty
 * buckets and refreshes them all; the split layout refreshes only buckets that exist.
 *
 * <p>A full bucket never drops a live contact for a newcomer (old contacts are the ones that stay
 * up). The newcomer goes to the bucket's bounded replacement cache and, if a contact is
 * questionable, {@link #heardFrom} answers {@link Insertion.Kind#PING_FIRST}: the caller pings that
 * contact and reports the answer via {@link #heardFrom} or {@link #failed}. A contact that fails
 * {@link RoutingConfig#maxFailures()} queries in a row (see Failures below) is removed and the
 * freshest cached replacement takes its slot. The table never holds our own ID, never two
 * contacts with one ID, and, when {@link RoutingConfig#onePerIp()}, never two contacts with one IP
 * address. A bucket holds no more contacts of one /24 or /16 (IPv6 /64 or /48) than
 * {@link RoutingConfig#diversity()} allows (loopback and private ranges exempt by default): a
 * newcomer beyond that is rejected, and is not cached as a replacement either.
 *
 * <p>Failures. A query that went unanswered counts against its contact only when the contact has
 * not answered any query since that one was sent: a peer that rate-limits a busy node drops some of
 * its queries while it answers others, and those drops are not a death. Nor does a query count that
 * was already in flight when the contact's last failure was counted (sent before it): two lookups
 * that asked a contact at once, as a get's manifest and holder lookups do, met one silence, not
 * two, and on an overloaded host whose answers all come late that removed live contacts after a
 * single round. The first counted failure
 * makes the contact <em>suspect</em>: {@link #failed} answers {@link Failure#PING} so the caller
 * confirms with one ping (an answer clears it), and {@link #closest} leaves it out meanwhile, so a
 * node neither hands out nor starts lookups from a contact it has seen fail. A removed contact is
 * remembered as failed (at most {@link #FAILED_REMEMBERED}, for the questionable interval, or until
 * it is heard from again): {@link #seenFailing} tells lookups not to ask it when another node still
 * names it.
 */
final class RoutingTable {

    /** What {@link #heardFrom} decided. {@code toPing} is set only for {@code PING_FIRST}. */
    record Insertion(Kind kind, Contact toPing) {
        enum Kind { ADDED, UPDATED, PING_FIRST, CACHED, REJECTED }

        static final Insertion ADDED = new Insertion(Kind.ADDED, null);
        static final Insertion UPDATED = new Insertion(Kind.UPDATED, null);
        static final Insertion CACHED = new Insertion(Kind.CACHED, null);
        static final Insertion REJECTED = new Insertion(Kind.REJECTED, null);
    }

    /** What {@link #failed} decided. */
    enum Failure {
        /**
         * Unknown contact, or it answered since the query was sent (a dropped query), or the query
         * was in flight when its last failure was counted: not counted.
         */
        NOT_COUNTED,
        /** Counted, not yet bad: the contact is suspect and the caller should ping it to confirm. */
        PING,
        /** Counted, and that made it bad: removed, a cached replacement took its slot. */
        REMOVED
    }

    /** Removed contacts remembered as failed, the oldest forgotten first. */
    static final int FAILED_REMEMBERED = 256;
    /** A handed-out contact that has not answered us for this long is checked with a ping. */
    static final long CHECK_AFTER_MILLIS = 2 * 60_000;
    /** Checks of handed-out contacts per minute at most (a token bucket of that size). */
    static final int CHECKS_PER_MINUTE = 6;

    private static final class Entry {
        final Contact contact;
        long lastResponseMillis = -1;
        long lastQueryMillis = -1;
        long lastSeenMillis;
        long lastCheckMillis = -1;
        long rttMillis = -1;
        int failures;
        /** When the last failure was counted; -1 before the first. */
        long lastFailureMillis = -1;
        boolean pingPending;

        Entry(Contact contact, long nowMillis) {
            this.contact = contact;
            this.lastSeenMillis = nowMillis;
        }
    }

    private static final class Bucket {
        final List<Entry> entries = new ArrayList<>();
        final LinkedHashMap<NodeId, Contact> replacements = new LinkedHashMap<>();
        long lastChangedMillis;

        Bucket(long nowMillis) {
            this.lastChangedMillis = nowMillis;
        }
    }

    private final NodeId own;
    private final RoutingConfig config;
    private final List<Bucket> buckets = new ArrayList<>();
    private final Map<NodeId, Entry> byId = new HashMap<>();
    private final Map<InetAddress, NodeId> byIp = new HashMap<>();
    private final LinkedHashMap<NodeId, Long> failedAt = new LinkedHashMap<>();
    private double checkTokens = CHECKS_PER_MINUTE;
    private long checkTokensAtMillis;

    RoutingTable(NodeId own, RoutingConfig config, long nowMillis) {
        this.own = own;
        this.config = config;
        buckets.add(new Bucket(nowMillis));
    }

    NodeId ownId() {
        return own;
    }

    /**
     * Records that {@code contact} answered one of our queries ({@code response}) or sent us a
     * query, and decides whether it enters the table.
     */
    Insertion heardFrom(Contact contact, boolean response, long nowMillis) {
        NodeId id = contact.id();
        if (id.equals(own)) {
            return Insertion.REJECTED;
        }
        failedAt.remove(id);
        Entry known = byId.get(id);
        if (known != null) {
            if (!known.contact.address().equals(contact.address())) {
                return Insertion.REJECTED;
            }
            touch(known, response, nowMillis);
            return Insertion.UPDATED;
        }
        if (config.onePerIp() && byIp.containsKey(ip(contact))) {
            return Insertion.REJECTED;
        }
        while (true) {
            int index = indexOf(id);
            Bucket bucket = buckets.get(index);
            boolean fits = fitsDiversity(bucket, contact);
            if (bucket.entries.size() < config.k()) {
                if (!fits) {
                    return Insertion.REJECTED;
                }
                touch(add(bucket, contact, nowMillis), response, nowMillis);
                return Insertion.ADDED;
            }
            if (index == buckets.size() - 1 && buckets.size() < NodeId.LENGTH_BITS) {
                split();
                continue;
            }
            if (!fits) {
                return Insertion.REJECTED;
            }
            bucket.replacements.remove(id);
            bucket.replacements.put(id, contact);
            if (bucket.replacements.size() > config.replacementCacheSize()) {
                Iterator<NodeId> oldest = bucket.replacements.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            Entry stalest = null;
            for (Entry e : bucket.entries) {
                if (!e.pingPending && state(e, nowMillis) != ContactState.GOOD
                        && (stalest == null || e.lastSeenMillis < stalest.lastSeenMillis)) {
                    stalest = e;
                }
            }
            if (stalest == null) {
                return Insertion.CACHED;
            }
            stalest.pingPending = true;
            return new Insertion(Insertion.Kind.PING_FIRST, stalest.contact);
        }
    }

    /**
     * Records that a query sent to {@code id} at {@code sentAtMillis} went unanswered, and decides
     * what that means (see the class note): not counted when the contact answered since, else a
     * failure that makes it suspect ({@link Failure#PING}: the caller pings it once to confirm) or,
     * at {@link RoutingConfig#maxFailures()}, removes it.
     */
    Failure failed(NodeId id, long sentAtMillis, long nowMillis) {
        Entry e = byId.get(id);
        if (e == null || e.lastResponseMillis >= sentAtMillis) {
            return Failure.NOT_COUNTED;
        }
        if (e.failures > 0 && sentAtMillis < e.lastFailureMillis) {
            return Failure.NOT_COUNTED; // in flight when that failure was counted: the same silence
        }
        e.pingPending = false;
        e.failures++;
        e.lastFailureMillis = nowMillis;
        if (e.failures >= config.maxFailures()) {
            Bucket bucket = buckets.get(indexOf(id));
            bucket.entries.remove(e);
            byId.remove(id);
            byIp.remove(ip(e.contact), id);
            rememberFailed(id, nowMillis);
            promoteReplacement(bucket, nowMillis);
            return Failure.REMOVED;
        }
        return Failure.PING;
    }

    /**
     * Whether this node has seen {@code id} fail: in the table and suspect, or removed as bad
     * within the questionable interval and not heard from since.
     */
    boolean seenFailing(NodeId id, long nowMillis) {
        Entry e = byId.get(id);
        if (e != null) {
            return e.failures > 0;
        }
        Long at = failedAt.get(id);
        return at != null && nowMillis - at < config.questionableAfterMillis();
    }

    /**
     * Of the contacts about to be handed out, the first we have not heard from for
     * {@link #CHECK_AFTER_MILLIS} and did not check that recently, for the caller to ping; null
     * when none is due or the budget of {@link #CHECKS_PER_MINUTE} is spent. A departed contact is
     * found out by the first node that hands it out, instead of lingering in answers until that
     * node happens to query it: in a small network under churn that was a quarter of all contacts
     * handed out.
     */
    Contact dueForCheck(List<Contact> handedOut, long nowMillis) {
        checkTokens = Math.min(CHECKS_PER_MINUTE,
                checkTokens + (nowMillis - checkTokensAtMillis) * CHECKS_PER_MINUTE / 60_000.0);
        checkTokensAtMillis = nowMillis;
        if (checkTokens < 1) {
            return null;
        }
        for (Contact c : handedOut) {
            Entry e = byId.get(c.id());
            if (e != null && nowMillis - Math.max(e.lastSeenMillis, e.lastCheckMillis) >= CHECK_AFTER_MILLIS) {
                e.lastCheckMillis = nowMillis;
                checkTokens--;
                return e.contact;
            }
        }
        return null;
    }

    private void rememberFailed(NodeId id, long nowMillis) {
        failedAt.remove(id);
        failedAt.put(id, nowMillis);
        if (failedAt.size() > FAILED_REMEMBERED) {
            Iterator<NodeId> oldest = failedAt.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** The state of the contact with {@code id}, or null when it is not in the table. */
    ContactState stateOf(NodeId id, long nowMillis) {
        Entry e = byId.get(id);
        return e == null ? null : state(e, nowMillis);
    }

    /** Notes the round trip of a contact's latest answer; a node not in the table is ignored. */
    void recordRtt(NodeId id, long millis) {
        Entry e = byId.get(id);
        if (e != null) {
            e.rttMillis = millis;
        }
    }

    /** The round trip of a contact's latest answer, -1 if none is known. */
    long rttOf(NodeId id) {
        Entry e = byId.get(id);
        return e == null ? -1 : e.rttMillis;
    }

    boolean contains(NodeId id) {
        return byId.containsKey(id);
    }

    int size() {
        return byId.size();
    }

    int bucketCount() {
        return buckets.size();
    }

    /** Sizes of the buckets, from farthest (bucket 0) to the one covering our ID. */
    List<Integer> bucketSizes() {
        return buckets.stream().map(b -> b.entries.size()).toList();
    }

    /** Every contact in the table, bucket by bucket. */
    List<Contact> contacts() {
        List<Contact> all = new ArrayList<>(byId.size());
        for (Bucket b : buckets) {
            for (Entry e : b.entries) {
                all.add(e.contact);
            }
        }
        return all;
    }

    /**
     * Up to {@code n} contacts closest to {@code target}, closest first, leaving out the suspect
     * ones (failed since their last answer): what a node hands out and starts lookups from.
     */
    List<Contact> closest(NodeId target, int n) {
        return closest(target, n, false);
    }

    /** {@link #closest}, suspect contacts included: for when the table holds nothing else. */
    List<Contact> closestIncludingSuspects(NodeId target, int n) {
        return closest(target, n, true);
    }

    /**
     * Up to {@code n} contacts closest to {@code target}, closest first.
     *
     * <p>Only the buckets that can hold them are read, nearest group first, instead of sorting the
     * whole table for every answer (that was a fifth of a simulated node's CPU). With {@code b} the
     * bucket {@code target} falls in: contacts of bucket {@code b} agree with the target on more
     * leading bits than any other; then come those of every bucket nearer our own ID than
     * {@code b} (all first differ from the target at bit {@code b}); then buckets {@code b - 1},
     * {@code b - 2}, ..., 0, each farther than the one before. Only each group is sorted.
     */
    private List<Contact> closest(NodeId target, int n, boolean suspects) {
        List<Contact> out = new ArrayList<>(Math.min(n, byId.size()));
        if (n <= 0) {
            return out;
        }
        Comparator<Contact> byDistance = Comparator.comparing(Contact::id, target::compareDistance);
        int b = indexOf(target);
        List<Contact> group = new ArrayList<>();
        addEntries(buckets.get(b), suspects, group);
        takeSorted(group, byDistance, n, out);
        group.clear();
        for (int i = b + 1; i < buckets.size() && out.size() < n; i++) {
            addEntries(buckets.get(i), suspects, group);
        }
        takeSorted(group, byDistance, n, out);
        for (int i = b - 1; i >= 0 && out.size() < n; i--) {
            group.clear();
            addEntries(buckets.get(i), suspects, group);
            takeSorted(group, byDistance, n, out);
        }
        return out;
    }

    private static void addEntries(Bucket bucket, boolean suspects, List<Contact> into) {
        for (Entry e : bucket.entries) {
            if (suspects || e.failures == 0) {
                into.add(e.contact);
            }
        }
    }

    private static void takeSorted(List<Contact> group, Comparator<Contact> order, int n, List<Contact> out) {
        if (out.size() >= n || group.isEmpty()) {
            return;
        }
        group.sort(order);
        for (int i = 0; i < group.size() && out.size() < n; i++) {
            out.add(group.get(i));
        }
    }

    /**
     * For every bucket unchanged for the refresh interval, a random ID inside the bucket's range
     * to look up; those buckets count as changed now, so each is reported once per interval.
     */
    List<NodeId> refreshTargets(long nowMillis, RandomGenerator random) {
        List<NodeId> targets = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            if (nowMillis - b.lastChangedMillis >= config.refreshIntervalMillis()) {
                targets.add(randomIdInBucket(i, random));
                b.lastChangedMillis = nowMillis;
            }
        }
        return targets;
    }

    /** A random ID that {@link #indexOf} places in bucket {@code index}. */
    NodeId randomIdInBucket(int index, RandomGenerator random) {
        byte[] id = new byte[NodeId.LENGTH_BYTES];
        random.nextBytes(id);
        byte[] mine = own.toBytes();
        boolean last = index == buckets.size() - 1;
        int keep = last ? index : index + 1;
        for (int bit = 0; bit < keep; bit++) {
            int mask = 0x80 >>> (bit & 7);
            boolean set = (mine[bit >>> 3] & mask) != 0;
            if (!last && bit == index) {
                set = !set;
            }
            id[bit >>> 3] = (byte) (set ? id[bit >>> 3] | mask : id[bit >>> 3] & ~mask);
        }
        NodeId target = NodeId.of(id);
        return target.equals(own) ? randomIdInBucket(index, random) : target;
    }

    int indexOf(NodeId id) {
        return Math.min(own.commonPrefixBits(id), buckets.size() - 1);
    }

    private ContactState state(Entry e, long nowMillis) {
        if (e.failures >= config.maxFailures()) {
            return ContactState.BAD;
        }
        if (e.failures > 0 || e.lastResponseMillis < 0) {
            return ContactState.QUESTIONABLE;
        }
        long window = config.questionableAfterMillis();
        boolean recentAnswer = nowMillis - e.lastResponseMillis < window;
        boolean recentQuery = e.lastQueryMillis >= 0 && nowMillis - e.lastQueryMillis < window;
        return recentAnswer || recentQuery ? ContactState.GOOD : ContactState.QUESTIONABLE;
    }

    private void touch(Entry e, boolean response, long nowMillis) {
        e.lastSeenMillis = nowMillis;
        if (response) {
            e.lastResponseMillis = nowMillis;
            e.failures = 0;
            e.pingPending = false;
            buckets.get(indexOf(e.contact.id())).lastChangedMillis = nowMillis;
        } else {
            e.lastQueryMillis = nowMillis;
        }
    }

    private Entry add(Bucket bucket, Contact contact, long nowMillis) {
        Entry e = new Entry(contact, nowMillis);
        bucket.entries.add(e);
        bucket.replacements.remove(contact.id());
        bucket.lastChangedMillis = nowMillis;
        byId.put(contact.id(), e);
        byIp.put(ip(contact), contact.id());
        return e;
    }

    private void promoteReplacement(Bucket bucket, long nowMillis) {
        List<NodeId> newestFirst = new ArrayList<>(bucket.replacements.keySet());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            Contact candidate = bucket.replacements.remove(newestFirst.get(i));
            if (!byId.containsKey(candidate.id())
                    && !(config.onePerIp() && byIp.containsKey(ip(candidate)))
                    && fitsDiversity(bucket, candidate)) {
                add(bucket, candidate, nowMillis);
                return;
            }
        }
    }

    /** Whether {@code bucket} has room for one more contact of {@code contact}'s subnets. */
    private boolean fitsDiversity(Bucket bucket, Contact contact) {
        SubnetCounts counts = new SubnetCounts(config.diversity());
        for (Entry e : bucket.entries) {
            counts.tryAdd(ip(e.contact));
        }
        return counts.fits(ip(contact));
    }

    private void split() {
        int depth = buckets.size() - 1;
        Bucket old = buckets.get(depth);
        Bucket near = new Bucket(old.lastChangedMillis);
        Bucket far = new Bucket(old.lastChangedMillis);
        for (Entry e : old.entries) {
            (own.commonPrefixBits(e.contact.id()) > depth ? near : far).entries.add(e);
        }
        for (Contact c : old.replacements.values()) {
            (own.commonPrefixBits(c.id()) > depth ? near : far).replacements.put(c.id(), c);
        }
        buckets.set(depth, far);
        buckets.add(near);
    }

    private static InetAddress ip(Contact c) {
        return c.address().getAddress();
    }
}
