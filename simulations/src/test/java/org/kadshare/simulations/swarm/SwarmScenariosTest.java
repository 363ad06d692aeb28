package org.kadshare.simulations.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The swarm scenarios: slow and departing holders and faulty ones never leave a get hanging. */
class SwarmScenariosTest {
    private static final int GETTERS = 8;

    private static SwarmReport run(String scenario) {
        return Swarm.run(SwarmScenarios.config(scenario, 1, GETTERS));
    }

    private static void everyGetCompleted(SwarmReport r) {
        assertThat(r.unfinished()).as("gets still running at the time limit (hung)").isZero();
        assertThat(r.failed()).isZero();
        assertThat(r.completed()).isEqualTo(GETTERS);
    }

    @Test
    void aSlowFarHolderAmongFastOnesServesLessThanAnyFastOneAndEveryGetCompletes() {
        SwarmReport r = run("slow-far-holder");
        everyGetCompleted(r);
        long slow = r.holderUploadBytes().get(3);
        for (int fast = 0; fast < 3; fast++) {
            assertThat(slow).isLessThan(r.holderUploadBytes().get(fast));
        }
    }

    @Test
    void holdersLeavingMidTransferLeaveEveryGetCompletingFromTheOthers() {
        SwarmReport r = run("holders-leave");
        everyGetCompleted(r);
        assertThat(r.lastDoneMillis()).as("gets still running after the last departure at 3 s").isGreaterThan(3_000);
    }

    /**
     * Regression: with seed 2 and 20 getters one get hung: the staying holder had choked it, its
     * queued requests were withdrawn, and it was never unchoked (the holder closed it as idle).
     */
    @Test
    void aGetChokedByTheLastHolderAfterTheOthersLeftIsUnchokedAndCompletes() {
        SwarmReport r = Swarm.run(SwarmScenarios.config("holders-leave", 2, 20));
        assertThat(r.unfinished()).isZero();
        assertThat(r.completed()).isEqualTo(20);
    }

    @Test
    void aHolderSilentAtTheHandshakeServesNothingAndNoGetHangsOnIt() {
        SwarmReport r = run("silent-at-handshake");
        everyGetCompleted(r);
        assertThat(r.holderUploadBytes().get(0)).isZero();
    }

    @Test
    void aHolderFallingSilentInTheLeafLayerOrMidSpanHangsNoGet() {
        everyGetCompleted(run("silent-in-leaf-layer"));
        SwarmReport midSpan = run("silent-mid-span");
        everyGetCompleted(midSpan);
        assertThat(midSpan.holderUploadBytes().get(0)).as("its first span never arrives").isLessThan(1 << 20);
    }

    @Test
    void aHolderAnsweringBusyToEveryoneServesNothingAndTheGetsCompleteFromTheOthers() {
        SwarmReport r = run("busy-holder");
        everyGetCompleted(r);
        assertThat(r.holderUploadBytes().get(0)).isZero();
    }

    @Test
    void theSameSeedGivesTheSameFaultyRunTwice() {
        assertThat(run("silent-mid-span")).isEqualTo(run("silent-mid-span"));
    }

    @Test
    void anUnknownScenarioIsRefusedWithTheNamesThereAre() {
        assertThatThrownBy(() -> SwarmScenarios.config("nope", 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slow-far-holder");
    }
}
