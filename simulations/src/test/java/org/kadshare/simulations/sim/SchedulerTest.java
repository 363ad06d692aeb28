package org.kadshare.simulations.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerTest {

    @Test
    void eventsDueAtTheSameTimeRunInTheOrderTheyWereScheduled() {
        Scheduler s = new Scheduler("test");
        List<String> order = new ArrayList<>();
        s.schedule(10, () -> order.add("a"));
        s.schedule(5, () -> order.add("early"));
        s.schedule(10, () -> order.add("b"));
        s.scheduleAt(10, () -> order.add("c"));
        s.runUntil(100);
        assertThat(order).containsExactly("early", "a", "b", "c");
    }

    @Test
    void anEventScheduledForNowByARunningEventRunsAfterTheOthersAlreadyDueNow() {
        Scheduler s = new Scheduler("test");
        List<String> order = new ArrayList<>();
        s.schedule(10, () -> {
            order.add("first");
            s.schedule(0, () -> order.add("spawned"));
        });
        s.schedule(10, () -> order.add("second"));
        s.runUntil(10);
        assertThat(order).containsExactly("first", "second", "spawned");
    }

    @Test
    void timeJumpsToEachEventAndEndsAtTheRequestedTime() {
        Scheduler s = new Scheduler("test");
        List<Long> seen = new ArrayList<>();
        s.schedule(7, () -> seen.add(s.nowMillis()));
        s.schedule(30, () -> seen.add(s.nowMillis()));
        s.runUntil(20);
        assertThat(seen).containsExactly(7L);
        assertThat(s.nowMillis()).isEqualTo(20);
        s.runFor(100);
        assertThat(seen).containsExactly(7L, 30L);
        assertThat(s.nowMillis()).isEqualTo(120);
    }

    @Test
    void aCancelledEventNeverRuns() {
        Scheduler s = new Scheduler("test");
        List<String> order = new ArrayList<>();
        Event e = s.schedule(10, () -> order.add("cancelled"));
        s.schedule(10, () -> order.add("kept"));
        e.cancel();
        e.cancel();
        assertThat(s.pendingEvents()).isEqualTo(1);
        s.runUntil(50);
        assertThat(order).containsExactly("kept");
        assertThat(s.executedEvents()).isEqualTo(1);
    }

    @Test
    void manyCancelledTimersArePurgedWithoutLosingLiveOnes() {
        Scheduler s = new Scheduler("test");
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            int n = i;
            Event e = s.schedule(1000 + i, () -> ran.add(n));
            if (i % 10 != 0) {
                e.cancel();
            }
        }
        assertThat(s.pendingEvents()).isEqualTo(2_000);
        s.runUntil(100_000);
        assertThat(ran).hasSize(2_000).allMatch(n -> n % 10 == 0).isSorted();
    }

    @Test
    void schedulingInThePastFailsLoudly() {
        Scheduler s = new Scheduler("test");
        s.runUntil(100);
        assertThatThrownBy(() -> s.schedule(-1, () -> { })).hasMessageContaining("negative delay");
        assertThatThrownBy(() -> s.scheduleAt(99, () -> { })).hasMessageContaining("before now");
    }

    @Test
    void aFailingEventNamesTheRunAndTheVirtualTime() {
        Scheduler s = new Scheduler("seed=77");
        s.schedule(42, () -> {
            throw new IllegalStateException("boom");
        });
        assertThatThrownBy(() -> s.runUntil(100))
                .isInstanceOf(SimulationFailure.class)
                .hasMessageContaining("seed=77")
                .hasMessageContaining("t=42 ms")
                .hasMessageContaining("boom");
    }
}
