package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kadshare.overlay.node.TransferRules.Decision;

class TransferRulesTest {

    @Test
    void aRunningDownloadPausesAndCancelsAndResumingItChangesNothing() {
        assertThat(TransferRules.decide(TransferState.RUNNING, TransferCommand.PAUSE))
                .isEqualTo(Decision.moveTo(TransferState.PAUSED));
        assertThat(TransferRules.decide(TransferState.RUNNING, TransferCommand.CANCEL))
                .isEqualTo(Decision.moveTo(TransferState.CANCELLED));
        assertThat(TransferRules.decide(TransferState.RUNNING, TransferCommand.RESUME))
                .isEqualTo(Decision.stay(TransferState.RUNNING));
    }

    @Test
    void pausingTwiceAndCancellingTwiceAreNoErrors() {
        Decision again = TransferRules.decide(TransferState.PAUSED, TransferCommand.PAUSE);
        assertThat(again.refused()).isFalse();
        assertThat(again.changes()).isFalse();
        Decision cancelledAgain = TransferRules.decide(TransferState.CANCELLED, TransferCommand.CANCEL);
        assertThat(cancelledAgain.refused()).isFalse();
        assertThat(cancelledAgain.changes()).isFalse();
    }

    @Test
    void aPausedOrFailedDownloadResumes() {
        assertThat(TransferRules.decide(TransferState.PAUSED, TransferCommand.RESUME))
                .isEqualTo(Decision.moveTo(TransferState.RUNNING));
        assertThat(TransferRules.decide(TransferState.FAILED, TransferCommand.RESUME))
                .isEqualTo(Decision.moveTo(TransferState.RUNNING));
        assertThat(TransferRules.decide(TransferState.FAILED, TransferCommand.CANCEL))
                .isEqualTo(Decision.moveTo(TransferState.CANCELLED));
    }

    @Test
    void everyCommandOnADoneDownloadIsRefusedWithAReason() {
        for (TransferCommand c : TransferCommand.values()) {
            Decision d = TransferRules.decide(TransferState.DONE, c);
            assertThat(d.refused()).as(c.name()).isTrue();
            assertThat(d.refusal()).as(c.name()).contains("done");
            assertThat(d.next()).isEqualTo(TransferState.DONE);
        }
    }

    @Test
    void aCancelledDownloadCannotBeResumedOrPausedAndAFailedOneCannotBePaused() {
        assertThat(TransferRules.decide(TransferState.CANCELLED, TransferCommand.RESUME).refusal()).contains("cancelled");
        assertThat(TransferRules.decide(TransferState.CANCELLED, TransferCommand.PAUSE).refused()).isTrue();
        assertThat(TransferRules.decide(TransferState.FAILED, TransferCommand.PAUSE).refusal()).contains("resume");
    }

    @Test
    void everyStateAndCommandHasAnAnswerThatKeepsTheStateUnlessItChanges() {
        for (TransferState s : TransferState.values()) {
            for (TransferCommand c : TransferCommand.values()) {
                Decision d = TransferRules.decide(s, c);
                if (!d.changes()) {
                    assertThat(d.next()).as(s + " " + c).isEqualTo(s);
                } else {
                    assertThat(d.refused()).isFalse();
                    assertThat(d.next()).as(s + " " + c).isNotEqualTo(s);
                }
            }
        }
    }
}
