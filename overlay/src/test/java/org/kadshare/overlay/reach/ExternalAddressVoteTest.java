package org.kadshare.overlay.reach;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ExternalAddressVoteTest {
    private final ExternalAddressVote vote = new ExternalAddressVote();

    private static InetAddress ip(String s) throws UnknownHostException {
        return InetAddress.getByName(s);
    }

    private static InetSocketAddress seen(String s, int port) {
        return new InetSocketAddress(s, port);
    }

    @Test
    void twoVotersInDistinctSubnetsAgreeingMakeTheAddressOneDoesNot() throws Exception {
        vote.observe(ip("11.1.0.1"), seen("11.77.5.1", 4870), 0);
        assertThat(vote.winner(0)).isEmpty();
        vote.observe(ip("11.2.0.1"), seen("11.77.5.1", 4870), 0);
        assertThat(vote.winner(0)).contains(seen("11.77.5.1", 4870));
    }

    @Test
    void twoVotersThatDisagreeMakeNoAddress() throws Exception {
        vote.observe(ip("11.1.0.1"), seen("11.77.5.1", 4870), 0);
        vote.observe(ip("66.1.0.1"), seen("6.6.6.6", 1), 0);
        vote.observe(ip("11.2.0.1"), seen("11.77.5.1", 4870), 0);
        vote.observe(ip("66.2.0.1"), seen("6.6.6.6", 1), 0);
        assertThat(vote.winner(0)).isEmpty();
    }

    @Test
    void oneSubnetIsOneVoterHoweverManyNodesItRuns() throws Exception {
        for (int i = 1; i <= 50; i++) {
            vote.observe(ip("66.6.6." + i), seen("6.6.6.6", 1), 0);
        }
        assertThat(vote.voters()).isEqualTo(1);
        vote.observe(ip("11.1.0.1"), seen("11.77.5.1", 4870), 0);
        assertThat(vote.voters()).isEqualTo(2);
        assertThat(vote.winner(0)).isEmpty();
    }

    @Test
    void aMinorityCannotOutvoteTheHonestPeers() throws Exception {
        vote.observe(ip("11.1.0.1"), seen("11.77.5.1", 4870), 0);
        vote.observe(ip("11.2.0.1"), seen("11.77.5.1", 4870), 0);
        vote.observe(ip("11.3.0.1"), seen("11.77.5.1", 4870), 0);
        vote.observe(ip("11.4.0.1"), seen("11.77.5.1", 4870), 0);
        vote.observe(ip("66.1.0.1"), seen("6.6.6.6", 1), 0);
        vote.observe(ip("66.2.0.1"), seen("6.6.6.6", 1), 0);
        vote.observe(ip("66.3.0.1"), seen("6.6.6.6", 1), 0);
        assertThat(vote.winner(0)).contains(seen("11.77.5.1", 4870));
    }

    @Test
    void noAddressWithoutAMajority() throws Exception {
        vote.observe(ip("11.1.0.1"), seen("11.77.5.1", 4870), 0);
        vote.observe(ip("11.2.0.1"), seen("11.77.5.1", 4870), 0);
        vote.observe(ip("11.3.0.1"), seen("11.77.5.1", 4870), 0);
        vote.observe(ip("66.1.0.1"), seen("6.6.6.6", 1), 0);
        vote.observe(ip("66.2.0.1"), seen("6.6.6.6", 1), 0);
        vote.observe(ip("66.3.0.1"), seen("6.6.6.6", 1), 0);
        assertThat(vote.winner(0)).isEmpty();
    }

    @Test
    void aVoterThatChangesItsReportCountsOnce() throws Exception {
        vote.observe(ip("11.1.0.1"), seen("6.6.6.6", 1), 0);
        vote.observe(ip("11.1.0.1"), seen("11.77.5.1", 4870), 1);
        vote.observe(ip("11.2.0.1"), seen("11.77.5.1", 4870), 1);
        vote.observe(ip("11.3.0.1"), seen("11.77.5.1", 4870), 1);
        assertThat(vote.voters()).isEqualTo(3);
        assertThat(vote.winner(1)).contains(seen("11.77.5.1", 4870));
    }

    @Test
    void theIpWinsEvenWhenTheNatGivesEachPeerAnotherPortAndThePortIsTheCommonestOne() throws Exception {
        vote.observe(ip("11.9.0.1"), seen("11.77.5.1", 5000), 0);
        vote.observe(ip("11.2.0.1"), seen("11.77.5.1", 4870), 0);
        vote.observe(ip("11.3.0.1"), seen("11.77.5.1", 4870), 0);
        assertThat(vote.winner(0)).contains(seen("11.77.5.1", 4870));
    }

    @Test
    void reportsExpireSoAChangedAddressIsBelievedAgain() throws Exception {
        for (int i = 1; i <= 3; i++) {
            vote.observe(ip("11." + i + ".0.1"), seen("11.77.5.1", 4870), 0);
        }
        long later = ExternalAddressVote.VOTE_TTL_MILLIS + 1;
        for (int i = 4; i <= 6; i++) {
            vote.observe(ip("11." + i + ".0.1"), seen("11.77.9.9", 4870), later);
        }
        assertThat(vote.winner(later)).contains(seen("11.77.9.9", 4870));
        assertThat(vote.voters()).isEqualTo(3);
    }

    @Test
    void theTableOfVotersStaysBounded() throws Exception {
        for (int i = 0; i < 1000; i++) {
            vote.observe(ip("11." + (i / 256) + "." + (i % 256) + ".1"), seen("11.77.5.1", 4870), i);
        }
        assertThat(vote.voters()).isEqualTo(ExternalAddressVote.MAX_VOTERS);
        assertThat(vote.winner(1000)).contains(seen("11.77.5.1", 4870));
    }

    @Test
    void ipv6VotersAndReportsAreIgnored() throws Exception {
        vote.observe(ip("::1"), seen("11.77.5.1", 4870), 0);
        vote.observe(ip("11.1.0.1"), seen("::1", 4870), 0);
        assertThat(vote.voters()).isZero();
    }
}
