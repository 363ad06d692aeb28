package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private static final long MIN = 60_000;
    private final NodeId own = NodeId.parseHex("0000000000000000000000000000000000000000");

    static Contact contact(NodeId id, int ipSuffix, int port) {
        try {
            byte[] ip = {10, (byte) (ipSuffix >>> 16), (byte) (ipSuffix >>> 8), (byte) ipSuffix};
            return new Contact(id, new InetSocketAddress(InetAddress.getByAddress(ip), port));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An ID whose first byte is {@code first} and last byte {@code last}: first=0x80.. is far. */
    static NodeId id(int first, int last) {
        byte[] b = new byte[20];
        b[0] = (byte) first;
        b[19] = (byte) last;
        return NodeId.of(b);
    }

    private RoutingTable table(int k, boolean onePerIp) {
        return new RoutingTable(own, new RoutingConfig(k, 2, 2, 15 * MIN, 15 * MIN, onePerIp), 0);
    }

    @Test
    void aContactsRoundTripIsItsLatestAnswersAndUnknownUntilThen() {
        RoutingTable t = table(8, true);
        t.heardFrom(contact(id(0x80, 1), 1, 1), true, 0);
        assertThat(t.rttOf(id(0x80, 1))).isEqualTo(-1);
        t.recordRtt(id(0x80, 1), 40);
        t.recordRtt(id(0x80, 1), 25);
        assertThat(t.rttOf(id(0x80, 1))).isEqualTo(25);
    }

    @Test
    void aRoundTripOfANodeNotInTheTableIsNotKept() {
        RoutingTable t = table(8, true);
        t.recordRtt(id(0x80, 2), 30);
        assertThat(t.rttOf(id(0x80, 2))).isEqualTo(-1);
        assertThat(t.size()).isZero();
    }

    @Test
    void neverAddsOurOwnId() {
        RoutingTable t = table(8, true);
        assertThat(t.heardFrom(contact(own, 1, 1), true, 0).kind()).isEqualTo(RoutingTable.Insertion.Kind.REJECTED);
        assertThat(t.size()).isZero();
    }

    @Test
    void fullFarBucketWithGoodContactsCachesTheNewcomer() {
        RoutingTable t = table(2, true);
        t.heardFrom(contact(id(0x80, 1), 1, 1), true, 0);
        t.heardFrom(contact(id(0x81, 2), 2, 1), true, 0);
        t.heardFrom(contact(id(0x01, 9), 9, 1), true, 0);
        // the near contact makes the first bucket split off; the far bucket is now full
        RoutingTable.Insertion r = t.heardFrom(contact(id(0x82, 3), 3, 1), true, MIN);
        assertThat(r.kind()).isEqualTo(RoutingTable.Insertion.Kind.CACHED);
        assertThat(t.contains(id(0x82, 3))).isFalse();
    }

    @Test
    void fullBucketAsksToPingTheLeastRecentlySeenQuestionableContactThenReplacesItWhenItFails() {
        RoutingTable t = table(2, true);
        t.heardFrom(contact(id(0x80, 1), 1, 1), true, 0);
        t.heardFrom(contact(id(0x81, 2), 2, 1), true, 5 * MIN);
        t.heardFrom(contact(id(0x01, 9), 9, 1), true, 5 * MIN);
        long later = 16 * MIN;   // first contact is questionable now, the second still good
        RoutingTable.Insertion r = t.heardFrom(contact(id(0x82, 3), 3, 1), true, later);
        assertThat(r.kind()).isEqualTo(RoutingTable.Insertion.Kind.PING_FIRST);
        assertThat(r.toPing().id()).isEqualTo(id(0x80, 1));
        assertThat(t.failed(id(0x80, 1), later, later)).isEqualTo(RoutingTable.Failure.PING);
        assertThat(t.stateOf(id(0x80, 1), later)).isEqualTo(ContactState.QUESTIONABLE);
        assertThat(t.failed(id(0x80, 1), later, later)).isEqualTo(RoutingTable.Failure.REMOVED);
        assertThat(t.contains(id(0x80, 1))).isFalse();
        assertThat(t.contains(id(0x82, 3))).isTrue();
    }

    @Test
    void answeringTheEvictionPingKeepsTheOldContact() {
        RoutingTable t = table(2, true);
        t.heardFrom(contact(id(0x80, 1), 1, 1), true, 0);
        t.heardFrom(contact(id(0x81, 2), 2, 1), true, 0);
        t.heardFrom(contact(id(0x01, 9), 9, 1), true, 0);
        RoutingTable.Insertion r = t.heardFrom(contact(id(0x82, 3), 3, 1), true, 20 * MIN);
        assertThat(r.kind()).isEqualTo(RoutingTable.Insertion.Kind.PING_FIRST);
        t.heardFrom(r.toPing(), true, 20 * MIN);
        assertThat(t.stateOf(r.toPing().id(), 20 * MIN)).isEqualTo(ContactState.GOOD);
        assertThat(t.contains(id(0x82, 3))).isFalse();
    }

    @Test
    void contactThatOnlyQueriesUsAfterAnsweringOnceStaysGood() {
        RoutingTable t = table(8, true);
        Contact c = contact(id(0x80, 1), 1, 1);
        t.heardFrom(c, true, 0);
        t.heardFrom(c, false, 14 * MIN);
        assertThat(t.stateOf(c.id(), 20 * MIN)).isEqualTo(ContactState.GOOD);
        assertThat(t.stateOf(c.id(), 30 * MIN)).isEqualTo(ContactState.QUESTIONABLE);
    }

    @Test
    void contactThatNeverAnsweredIsQuestionable() {
        RoutingTable t = table(8, true);
        Contact c = contact(id(0x80, 1), 1, 1);
        t.heardFrom(c, false, 0);
        assertThat(t.stateOf(c.id(), 0)).isEqualTo(ContactState.QUESTIONABLE);
    }

    @Test
    void secondContactFromTheSameIpIsRejectedUnlessTheLimitIsOff() {
        RoutingTable strict = table(8, true);
        strict.heardFrom(contact(id(0x80, 1), 1, 1000), true, 0);
        assertThat(strict.heardFrom(contact(id(0x40, 1), 1, 1001), true, 0).kind())
                .isEqualTo(RoutingTable.Insertion.Kind.REJECTED);
        RoutingTable loose = table(8, false);
        loose.heardFrom(contact(id(0x80, 1), 1, 1000), true, 0);
        assertThat(loose.heardFrom(contact(id(0x40, 1), 1, 1001), true, 0).kind())
                .isEqualTo(RoutingTable.Insertion.Kind.ADDED);
    }

    @Test
    void knownIdFromAnotherAddressDoesNotMoveTheContact() {
        RoutingTable t = table(8, false);
        t.heardFrom(contact(id(0x80, 1), 1, 1000), true, 0);
        assertThat(t.heardFrom(contact(id(0x80, 1), 2, 1000), true, 0).kind())
                .isEqualTo(RoutingTable.Insertion.Kind.REJECTED);
        assertThat(t.contacts().get(0).address().getPort()).isEqualTo(1000);
    }

    @Test
    void idleBucketsAreReportedForRefreshOncePerIntervalWithATargetInsideTheBucket() {
        RoutingTable t = table(2, true);
        for (int i = 0; i < 6; i++) {
            t.heardFrom(contact(id(0x80 >>> i, i), i, 1), true, 0);
        }
        int buckets = t.bucketCount();
        assertThat(buckets).isGreaterThan(1);
        SplittableRandom random = new SplittableRandom(7);
        assertThat(t.refreshTargets(14 * MIN, random)).isEmpty();
        var targets = t.refreshTargets(15 * MIN, random);
        assertThat(targets).hasSize(buckets);
        for (int i = 0; i < targets.size(); i++) {
            assertThat(t.indexOf(targets.get(i))).isEqualTo(i);
        }
        assertThat(t.refreshTargets(16 * MIN, random)).isEmpty();
    }

    @Test
    void aQueryDroppedWhileTheContactAnsweredOthersIsNotCountedAsAFailure() {
        RoutingTable t = table(8, true);
        Contact c = contact(id(0x80, 1), 1, 1);
        t.heardFrom(c, true, 0);
        long sent = 1_000;
        t.heardFrom(c, true, 1_200);                // answered another query sent after this one
        assertThat(t.failed(c.id(), sent, 2_000)).isEqualTo(RoutingTable.Failure.NOT_COUNTED);
        assertThat(t.failed(c.id(), sent, 2_000)).isEqualTo(RoutingTable.Failure.NOT_COUNTED);
        assertThat(t.contains(c.id())).isTrue();
        assertThat(t.seenFailing(c.id(), 2_000)).isFalse();
        assertThat(t.stateOf(c.id(), 2_000)).isEqualTo(ContactState.GOOD);
    }

    @Test
    void queriesInFlightTogetherThatAllGoUnansweredCountAsOneFailureAndTheConfirmingPingDecides() {
        RoutingTable t = table(8, true);
        Contact c = contact(id(0x80, 1), 1, 1);
        t.heardFrom(c, true, 0);
        // a get's manifest and holder lookups ask the contact at once; both time out
        assertThat(t.failed(c.id(), 1_000, 2_000)).isEqualTo(RoutingTable.Failure.PING);
        assertThat(t.failed(c.id(), 1_010, 2_010)).isEqualTo(RoutingTable.Failure.NOT_COUNTED);
        assertThat(t.contains(c.id())).as("one silence is not two failures").isTrue();
        // the confirming ping, sent when the first failure was counted, fails too: now it is bad
        assertThat(t.failed(c.id(), 2_000, 3_000)).isEqualTo(RoutingTable.Failure.REMOVED);
        assertThat(t.contains(c.id())).isFalse();
    }

    @Test
    void aLateAnswerAfterOverlappingTimeoutsKeepsTheContact() {
        RoutingTable t = table(8, true);
        Contact c = contact(id(0x80, 1), 1, 1);
        t.heardFrom(c, true, 0);
        t.failed(c.id(), 1_000, 2_000);
        t.failed(c.id(), 1_005, 2_005);
        t.heardFrom(c, true, 2_500);                // the overloaded host's answer, late
        assertThat(t.stateOf(c.id(), 2_500)).isEqualTo(ContactState.GOOD);
        assertThat(t.failed(c.id(), 3_000, 4_000)).as("a fresh silence counts again").isEqualTo(RoutingTable.Failure.PING);
    }

    @Test
    void aFailureAfterTheLastAnswerMakesTheContactSuspectAndAsksForAConfirmingPing() {
        RoutingTable t = table(8, true);
        Contact c = contact(id(0x80, 1), 1, 1);
        t.heardFrom(c, true, 0);
        assertThat(t.failed(c.id(), 1_000, 2_000)).isEqualTo(RoutingTable.Failure.PING);
        assertThat(t.seenFailing(c.id(), 2_000)).isTrue();
        assertThat(t.contains(c.id())).isTrue();
    }

    /** A table of k = 8 that heard at time 0 from {@code contacts}. */
    private RoutingTable heardAtZero(Contact... contacts) {
        RoutingTable t = table(8, true);
        for (Contact c : contacts) {
            t.heardFrom(c, true, 0);
        }
        return t;
    }

    @Test
    void aSuspectContactIsLeftOutOfClosestUntilItAnswersAgain() {
        Contact a = contact(id(0x80, 1), 1, 1);
        Contact b = contact(id(0x40, 2), 2, 1);
        RoutingTable t = heardAtZero(a, b);
        t.failed(a.id(), 1_000, 2_000);
        assertThat(t.closest(a.id(), 8)).containsExactly(b);
        assertThat(t.closestIncludingSuspects(a.id(), 8)).containsExactly(a, b);
        t.heardFrom(a, true, 2_100);                // the confirming ping was answered
        assertThat(t.seenFailing(a.id(), 2_100)).isFalse();
        assertThat(t.closest(a.id(), 8)).containsExactly(a, b);
    }

    @Test
    void aContactThatFailsTheConfirmingPingTooIsRemovedAndRememberedAsFailed() {
        RoutingTable t = table(8, true);
        Contact c = contact(id(0x80, 1), 1, 1);
        t.heardFrom(c, true, 0);
        t.failed(c.id(), 1_000, 2_000);
        assertThat(t.failed(c.id(), 2_000, 3_000)).isEqualTo(RoutingTable.Failure.REMOVED);
        assertThat(t.contains(c.id())).isFalse();
        assertThat(t.seenFailing(c.id(), 3_000)).as("remembered as failed").isTrue();
        assertThat(t.seenFailing(c.id(), 3_000 + 15 * MIN)).as("forgotten after the questionable interval")
                .isFalse();
    }

    @Test
    void aRemovedContactHeardFromAgainIsNoLongerSeenFailing() {
        RoutingTable t = table(8, true);
        Contact c = contact(id(0x80, 1), 1, 1);
        t.heardFrom(c, true, 0);
        t.failed(c.id(), 1_000, 2_000);
        t.failed(c.id(), 2_000, 3_000);
        t.heardFrom(c, false, 4_000);               // it queried us: it is back
        assertThat(t.seenFailing(c.id(), 4_000)).isFalse();
        assertThat(t.contains(c.id())).isTrue();
    }

    @Test
    void theMemoryOfFailedContactsIsBounded() {
        RoutingTable t = table(8, false);
        for (int i = 0; i <= RoutingTable.FAILED_REMEMBERED; i++) {
            Contact c = contact(NodeId.random(new SplittableRandom(i)), i + 1, 1);
            t.heardFrom(c, true, 0);
            t.failed(c.id(), 1, 1);
            t.failed(c.id(), 1, 1);
        }
        assertThat(t.seenFailing(NodeId.random(new SplittableRandom(0)), 2)).as("the oldest was forgotten").isFalse();
        assertThat(t.seenFailing(NodeId.random(new SplittableRandom(1)), 2)).isTrue();
        assertThat(t.seenFailing(NodeId.random(new SplittableRandom(RoutingTable.FAILED_REMEMBERED)), 2)).isTrue();
    }

    @Test
    void aHandedOutContactNotHeardFromForTwoMinutesIsDueForOneCheck() {
        Contact quiet = contact(id(0x80, 1), 1, 1);
        Contact fresh = contact(id(0x40, 2), 2, 1);
        RoutingTable t = heardAtZero(quiet, fresh);
        long soon = RoutingTable.CHECK_AFTER_MILLIS - 1;
        assertThat(t.dueForCheck(java.util.List.of(quiet, fresh), soon)).as("heard from recently").isNull();
        long later = RoutingTable.CHECK_AFTER_MILLIS;
        t.heardFrom(fresh, false, later);           // it queried us: alive
        assertThat(t.dueForCheck(java.util.List.of(fresh, quiet), later)).isEqualTo(quiet);
        assertThat(t.dueForCheck(java.util.List.of(fresh, quiet), later + 1)).as("checked once").isNull();
    }

    @Test
    void checksOfHandedOutContactsAreBoundedPerMinute() {
        RoutingTable t = table(8, false);
        java.util.List<Contact> all = new java.util.ArrayList<>();
        for (int i = 0; i < 3 * RoutingTable.CHECKS_PER_MINUTE; i++) {
            Contact c = contact(NodeId.random(new SplittableRandom(i)), i + 1, 1);
            t.heardFrom(c, true, 0);
            all.add(c);
        }
        long now = 10 * MIN;
        int checks = 0;
        while (t.dueForCheck(all, now) != null) {
            checks++;
        }
        assertThat(checks).isEqualTo(RoutingTable.CHECKS_PER_MINUTE);
        assertThat(t.dueForCheck(all, now + MIN / RoutingTable.CHECKS_PER_MINUTE)).as("one more token").isNotNull();
    }
}
