package org.kadshare.overlay.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One iterative Kademlia lookup of a target ID (find_node, get_peers or get_manifests alike).
 *
 * <p>Design note. Every contact the lookup has heard of carries an explicit state: {@code HEARD}
 * (not asked yet), {@code WAITING} (asked, within its soft timeout), {@code SOFT_TIMED_OUT} (asked,
 * slow: no longer counts against alpha, a late answer is still taken), {@code OVERDUE} (silent past
 * the hard timeout but within the query timeout, {@link RttEstimator#queryTimeoutMillis()}: an
 * answer is still taken), {@code RESPONDED} and {@code FAILED} (silent past the query timeout, or
 * reported failed). Contacts are kept sorted by
 * distance to the target. Each step walks them closest first and sends to {@code HEARD} ones while
 * fewer than alpha requests are plainly in flight, stopping once k contacts have responded:
 * nothing farther than the k closest responders is ever asked. The lookup is done when, among the
 * contacts neither failed nor past their soft timeout, the k closest have all responded, or fewer
 * than k exist and all of them have: this is the termination rule of the Kademlia paper with
 * silent contacts skipped. Slow contacts are waited for, up to their hard timeout, only while
 * they outnumber the contacts that answered: then the network or the machine is more likely slow
 * than those contacts gone (a burst of lookups on a loaded machine ended with one answer each).
 * Overdue contacts count as failed, except while nobody has answered the lookup yet, on any of its
 * paths ({@link PathAnswers}: they are then
 * waited for, up to the query timeout, instead of ending the lookup with nothing) and once an
 * answer came in past its hard timeout: the estimate is then too short for this machine or path,
 * not the contacts gone, and every contact still within the query timeout holds up the end as a
 * plainly waiting one does. A late answer is better than none: on an overloaded host every answer
 * came 1.3 to 2.8 s after its query, past the 1 s hard-timeout floor, and the lookup ended empty.
 * On a healthy network no answer is late, so a departed contact costs what it did: its soft
 * timeout while others answer. Both timeouts follow measured RTTs
 * ({@link RttEstimator}): a contact past its soft timeout is replaced by the next closest and no
 * longer holds up the end; its answer still counts if it comes before the end. Waiting for slow
 * contacts made every lookup whose k closest included a departed node take the full hard timeout:
 * 5 s in the 10,000-node simulator under churn (when at least k answered), and in small networks,
 * where fewer than k answer in all, every lookup after a node left.
 *
 * <p>Diversity. Only contacts within the {@link LookupConfig#diversity()} limit count toward the
 * k closest: walking closest first, a responder whose /24 or /16 (IPv6: /64, /48) already has
 * two counted responders is passed over, as if it had failed, and a contact not asked yet whose
 * subnet is full is not asked. Attacker nodes that chose IDs next to the target on one subnet so
 * take two of the k places, and the lookup goes on to honest nodes for the rest.
 *
 * <p>Widening. A lookup whose k closest brought no value (holders or manifests) goes on until
 * {@link LookupConfig#widenTo()} responders have answered, instead of reporting nothing found
 * when the closest nodes are ones that store nothing.
 *
 * <p>Disjoint paths. The lookup may share a set of claimed contacts with the other paths of a
 * {@link DisjointLookup}: a contact another path has asked is never asked by this one
 * ({@code TAKEN}), so the paths run through disjoint sets of nodes.
 *
 * <p>Rounds are counted per contact: seeds are asked in round 1, a contact first named in an answer
 * to a round-r query in round r + 1 ({@link LookupTrace}).
 *
 * <p>The lookup never touches the wire. It calls a {@link Querier}; the caller reports back with
 * {@link #responded} or {@link #failed}. Timers go through the {@link DhtEnvironment}.
 */
final class Lookup {

    /** Sends one query for this lookup; the answer must come back through the lookup's methods. */
    @FunctionalInterface
    interface Querier {
        void query(Lookup lookup, Contact to);
    }

    /** What a contact answered: closer contacts, and the values it holds for the target, if any. */
    record Response(List<Contact> nodes, List<InetSocketAddress> peers, List<byte[]> values, byte[] token) {
        Response {
            nodes = List.copyOf(nodes);
            peers = List.copyOf(peers);
            values = values.stream().map(byte[]::clone).toList();
            token = token == null ? null : token.clone();
        }

        static Response nodes(List<Contact> nodes) {
            return new Response(nodes, List.of(), List.of(), null);
        }

        boolean hasValues() {
            return !peers.isEmpty() || !values.isEmpty();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Response r && nodes.equals(r.nodes) && peers.equals(r.peers)
                    && values.size() == r.values.size() && Arrays.equals(token, r.token)
                    && java.util.stream.IntStream.range(0, values.size())
                    .allMatch(i -> Arrays.equals(values.get(i), r.values.get(i)));
        }

        @Override
        public int hashCode() {
            return Objects.hash(nodes, peers, values.size(), Arrays.hashCode(token));
        }

        @Override
        public String toString() {
            return "Response[nodes=" + nodes.size() + ", peers=" + peers.size() + ", values=" + values.size() + "]";
        }
    }

    /**
     * Told of each new holder address and each new value the moment an answer brings it, before
     * the lookup moves on; repeats (from several answers) are not reported again.
     */
    interface Finds {
        /** A holder address not reported before. */
        void holder(InetSocketAddress address);

        /** A value (an encoded manifest) not reported before. */
        void value(byte[] value);

        /**
         * A holder that cannot be reached, listed as relayed by {@code relay} (the node that
         * answered), not reported before with that relay.
         */
        default void relayed(InetSocketAddress holder, InetSocketAddress relay) {
        }

        /** Reports nothing. */
        Finds NONE = new Finds() {
            @Override
            public void holder(InetSocketAddress address) {
            }

            @Override
            public void value(byte[] value) {
            }
        };
    }

    /** A contact that answered, with the write token it gave (null if none). */
    record Responder(Contact contact, byte[] token) {
        Responder {
            token = token == null ? null : token.clone();
        }

        @Override
        public byte[] token() {
            return token == null ? null : token.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Responder r && contact.equals(r.contact) && Arrays.equals(token, r.token);
        }

        @Override
        public int hashCode() {
            return 31 * contact.hashCode() + Arrays.hashCode(token);
        }

        @Override
        public String toString() {
            return "Responder[" + contact + "]";
        }
    }

    /**
     * The outcome: the k closest responders (closest first), the values found, and the closest
     * responder that did not return a value (where Kademlia caches the value), null when no value
     * was found or every responder had it.
     */
    record Result(NodeId target, List<Responder> closest, List<InetSocketAddress> peers, List<byte[]> values,
                  Responder cacheAt, LookupTrace trace) {}

    enum State { HEARD, WAITING, SOFT_TIMED_OUT, OVERDUE, RESPONDED, FAILED, TAKEN }

    private static final class Candidate {
        final Contact contact;
        final int round;
        State state = State.HEARD;
        byte[] token;
        boolean returnedValue;
        DhtEnvironment.Cancellable softTimer;
        DhtEnvironment.Cancellable hardTimer;

        Candidate(Contact contact, int round) {
            this.contact = contact;
            this.round = round;
        }
    }

    private final NodeId target;
    private final NodeId self;
    private final LookupConfig config;
    private final DhtEnvironment env;
    private final RttEstimator rtt;
    private final Querier querier;
    private final Finds finds;
    private final Consumer<Result> onDone;
    private final TreeMap<NodeId, Candidate> candidates;
    private final Set<NodeId> claimed;
    private final PathAnswers answers;
    private final LinkedHashSet<InetSocketAddress> peers = new LinkedHashSet<>();
    private final List<byte[]> values = new ArrayList<>();
    private int want;
    private boolean started;
    private boolean done;
    private boolean stepping;
    private boolean stepAgain;
    private int queried;
    private int firstValueRound = LookupTrace.NONE;
    private long firstValueMillis = LookupTrace.NONE;
    private long startedAtMillis;

    Lookup(NodeId target, NodeId self, List<Contact> seeds, LookupConfig config, DhtEnvironment env,
           RttEstimator rtt, Querier querier, Consumer<Result> onDone) {
        this(target, self, seeds, config, env, rtt, querier, Finds.NONE, onDone);
    }

    /** A lookup that reports each new holder and value to {@code finds} as it arrives. */
    Lookup(NodeId target, NodeId self, List<Contact> seeds, LookupConfig config, DhtEnvironment env,
           RttEstimator rtt, Querier querier, Finds finds, Consumer<Result> onDone) {
        this(target, self, seeds, config, env, rtt, querier, finds, new HashSet<>(), PathAnswers.single(), onDone);
    }

    /**
     * One path of a {@link DisjointLookup}: it asks only contacts it can add to {@code claimed},
     * which the other paths share (membership only: its order decides nothing), and counts its
     * answers into {@code answers}, which they share too.
     */
    Lookup(NodeId target, NodeId self, List<Contact> seeds, LookupConfig config, DhtEnvironment env,
           RttEstimator rtt, Querier querier, Finds finds, Set<NodeId> claimed, PathAnswers answers,
           Consumer<Result> onDone) {
        this.claimed = Objects.requireNonNull(claimed, "claimed");
        this.answers = Objects.requireNonNull(answers, "answers");
        this.want = config.k();
        this.finds = Objects.requireNonNull(finds, "finds");
        this.target = Objects.requireNonNull(target, "lookup target");
        this.self = self;
        this.config = config;
        this.env = env;
        this.rtt = rtt;
        this.querier = querier;
        this.onDone = onDone;
        this.candidates = new TreeMap<>(target::compareDistance);
        for (Contact c : seeds) {
            addCandidate(c, 1);
        }
    }

    NodeId target() {
        return target;
    }

    boolean isDone() {
        return done;
    }

    /** Sends the first alpha queries (or finishes at once when there is nobody to ask). */
    void start() {
        if (started) {
            throw new IllegalStateException("lookup of " + target + " already started");
        }
        started = true;
        startedAtMillis = env.nowMillis();
        step();
    }

    /** State of the contact with {@code id} in this lookup, null when never heard of. */
    State stateOf(NodeId id) {
        Candidate c = candidates.get(id);
        return c == null ? null : c.state;
    }

    /**
     * Reports {@code from}'s answer. An answer past the soft or the hard timeout still counts,
     * until the query timeout fails the contact; answers after the end are ignored.
     */
    void responded(Contact from, Response response) {
        Candidate c = candidates.get(from.id());
        if (done || c == null || !asked(c.state)) {
            return;
        }
        boolean overdue = c.state == State.OVERDUE;
        c.state = State.RESPONDED;
        c.token = response.token();
        cancelTimers(c);
        int accepted = 0;
        for (Contact n : response.nodes()) {
            if (accepted++ >= 2 * config.k()) {
                break;
            }
            addCandidate(n, c.round + 1);
        }
        if (response.hasValues()) {
            c.returnedValue = true;
            if (firstValueRound == LookupTrace.NONE) {
                firstValueRound = c.round;
                firstValueMillis = env.nowMillis() - startedAtMillis;
            }
            for (InetSocketAddress p : response.peers()) {
                if (peers.size() < config.maxPeers() && peers.add(p)) {
                    finds.holder(p);
                }
            }
            for (byte[] v : response.values()) {
                if (values.size() < config.maxValues() && values.stream().noneMatch(x -> Arrays.equals(x, v))) {
                    values.add(v);
                    finds.value(v.clone());
                }
            }
        }
        answers.answered(overdue);
        step();
    }

    /** Reports that the query to {@code to} failed (e.g. an error reply or the wire gave up). */
    void failed(Contact to) {
        Candidate c = candidates.get(to.id());
        if (done || c == null || !asked(c.state)) {
            return;
        }
        c.state = State.FAILED;
        cancelTimers(c);
        step();
    }

    /** Asked and not answered yet: waiting, slow or overdue. */
    private static boolean asked(State s) {
        return s == State.WAITING || s == State.SOFT_TIMED_OUT || s == State.OVERDUE;
    }

    /** Looks again whether the lookup can end (another path's first answer may have ended its wait). */
    void recheck() {
        step();
    }

    /** Stops the lookup without reporting a result. */
    void cancel() {
        done = true;
        candidates.values().forEach(Lookup::cancelTimers);
    }

    private void addCandidate(Contact contact, int round) {
        NodeId id = contact.id();
        if (id.equals(self) || candidates.containsKey(id)) {
            return;
        }
        candidates.put(id, new Candidate(contact, round));
        if (candidates.size() <= config.maxCandidates()) {
            return;
        }
        Iterator<Map.Entry<NodeId, Candidate>> farthestFirst = candidates.descendingMap().entrySet().iterator();
        while (farthestFirst.hasNext()) {
            State s = farthestFirst.next().getValue().state;
            if (s == State.HEARD || s == State.FAILED || s == State.TAKEN) {
                farthestFirst.remove();
                return;
            }
        }
    }

    private void step() {
        if (!started || done) {
            return;
        }
        if (stepping) {
            stepAgain = true;
            return;
        }
        stepping = true;
        try {
            do {
                stepAgain = false;
                sendMore();
            } while (stepAgain && !done);
            while (!done && finished()) {
                if (want < config.widenTo() && peers.isEmpty() && values.isEmpty()) {
                    want = config.widenTo();
                    do {
                        stepAgain = false;
                        sendMore();
                    } while (stepAgain && !done);
                } else {
                    finish();
                }
            }
        } finally {
            stepping = false;
        }
    }

    private void sendMore() {
        int inFlight = 0;
        for (Candidate c : candidates.values()) {
            if (c.state == State.WAITING) {
                inFlight++;
            }
        }
        int responded = 0;
        SubnetCounts trusted = new SubnetCounts(config.diversity());
        for (Candidate c : new ArrayList<>(candidates.values())) {
            if (responded >= want || inFlight >= config.alpha() || done) {
                return;
            }
            InetAddress ip = c.contact.address().getAddress();
            if (c.state == State.RESPONDED) {
                if (trusted.tryAdd(ip)) {
                    responded++;
                }
            } else if (c.state == State.WAITING) {
                trusted.tryAdd(ip);
            } else if (c.state == State.HEARD && trusted.fits(ip)) {
                if (!claimed.add(c.contact.id())) {
                    c.state = State.TAKEN;
                    continue;
                }
                send(c);
                if (c.state == State.WAITING) {
                    inFlight++;
                    trusted.tryAdd(ip);
                } else if (c.state == State.RESPONDED && trusted.tryAdd(ip)) {
                    responded++;
                }
            }
        }
    }

    private void send(Candidate c) {
        c.state = State.WAITING;
        queried++;
        startTimers(c, 0);
        querier.query(this, c.contact);
    }

    /**
     * The querier holds the query to {@code to} back for {@code delayMillis} (pacing under the
     * peer's rate limit): its soft and hard timeouts start when it goes, so a paced contact is
     * neither skipped nor failed for a wait that is ours.
     */
    void paced(Contact to, long delayMillis) {
        Candidate c = candidates.get(to.id());
        if (c != null && !done && c.state == State.WAITING) {
            cancelTimers(c);
            startTimers(c, delayMillis);
        }
    }

    /**
     * The soft timeout, then the hard one (overdue), then the query timeout (failed); with a hard
     * timeout at the query timeout already, failed at once.
     */
    private void startTimers(Candidate c, long delayMillis) {
        long hard = rtt.hardTimeoutMillis();
        long rest = rtt.queryTimeoutMillis() - hard;
        c.softTimer = env.schedule(delayMillis + rtt.softTimeoutMillis(), () -> {
            if (!done && c.state == State.WAITING) {
                c.state = State.SOFT_TIMED_OUT;
                step();
            }
        });
        c.hardTimer = env.schedule(delayMillis + hard, () -> {
            if (done || (c.state != State.WAITING && c.state != State.SOFT_TIMED_OUT)) {
                return;
            }
            if (rest > 0) {
                c.state = State.OVERDUE;
                c.hardTimer = env.schedule(rest, () -> {
                    if (!done && c.state == State.OVERDUE) {
                        c.state = State.FAILED;
                        step();
                    }
                });
            } else {
                c.state = State.FAILED;
            }
            step();
        });
    }

    /**
     * Done when the k closest contacts that are neither failed, taken by another path, nor past
     * their soft timeout, and that fit the diversity limit, have all answered (k: or the widened
     * count), or fewer than k such contacts exist and all have answered. Slow contacts are
     * waited for (up to their hard timeout) only while they outnumber the contacts that answered;
     * overdue ones count as failed, except as slow while nobody answered yet. Once an answer came
     * past its hard timeout, slow and overdue contacts hold up the end as waiting ones do.
     */
    private boolean finished() {
        boolean slowNetwork = answers.anyLate();
        boolean waitOverdue = !answers.anyAnswer();
        int responded = 0;
        int slow = 0;
        SubnetCounts trusted = new SubnetCounts(config.diversity());
        for (Candidate c : candidates.values()) {
            if (responded >= want) {
                return true;
            }
            InetAddress ip = c.contact.address().getAddress();
            if (!trusted.fits(ip)) {
                continue;                           // its subnet is full: it would never count
            }
            switch (c.state) {
                case RESPONDED -> {
                    trusted.tryAdd(ip);
                    responded++;
                }
                case FAILED, TAKEN -> { }
                case SOFT_TIMED_OUT, OVERDUE -> {
                    if (slowNetwork) {
                        return false;
                    }
                    if (c.state == State.SOFT_TIMED_OUT || waitOverdue) {
                        slow++;
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        return slow <= responded;
    }

    private void finish() {
        done = true;
        List<Responder> closest = new ArrayList<>();
        Responder cacheAt = null;
        int responders = 0;
        int deepestRound = 0;
        SubnetCounts trusted = new SubnetCounts(config.diversity());
        for (Candidate c : candidates.values()) {
            cancelTimers(c);
            if (c.state != State.RESPONDED) {
                continue;
            }
            responders++;                           // responders are never evicted from candidates
            deepestRound = Math.max(deepestRound, c.round);
            if (!trusted.tryAdd(c.contact.address().getAddress())) {
                continue;
            }
            if (closest.size() < config.k()) {
                closest.add(new Responder(c.contact, c.token));
            }
            if (cacheAt == null && !c.returnedValue) {
                cacheAt = new Responder(c.contact, c.token);
            }
        }
        boolean found = !peers.isEmpty() || !values.isEmpty();
        LookupTrace trace = new LookupTrace(queried, responders, deepestRound, firstValueRound, firstValueMillis,
                env.nowMillis() - startedAtMillis);
        onDone.accept(new Result(target, List.copyOf(closest), List.copyOf(peers),
                List.copyOf(values), found ? cacheAt : null, trace));
    }

    private static void cancelTimers(Candidate c) {
        if (c.softTimer != null) {
            c.softTimer.cancel();
            c.softTimer = null;
        }
        if (c.hardTimer != null) {
            c.hardTimer.cancel();
            c.hardTimer = null;
        }
    }

    static Comparator<Contact> byDistanceTo(NodeId target) {
        return Comparator.comparing(Contact::id, target::compareDistance);
    }
}
