package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AnnounceWaitTest {
    @Test
    void aPutWaitsForItsAnnounceAndSaysHowManyNodesTookTheRecord() throws Exception {
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
            CompletableFuture<Integer> announced = new CompletableFuture<>();
            later.schedule(() -> announced.complete(6), 200, TimeUnit.MILLISECONDS);
            assertThat(AnnounceWait.await(announced, 10_000)).hasValue(6);
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void anAnnounceThatTakesLongerThanTheWaitOrFailsLeavesTheCountOut() {
        assertThat(AnnounceWait.await(new CompletableFuture<>(), 50)).isEmpty();
        assertThat(AnnounceWait.await(CompletableFuture.failedFuture(new IllegalStateException("closing")), 50))
                .isEmpty();
    }

    @Test
    void thePutSaysWhatCameOfItsAnnounce() {
        assertThat(PutCommand.announced(OptionalInt.of(8))).isEqualTo("announced to 8 nodes");
        assertThat(PutCommand.announced(OptionalInt.of(1))).isEqualTo("announced to 1 node");
        assertThat(PutCommand.announced(OptionalInt.of(0))).contains("no node took its holder record yet");
        assertThat(PutCommand.announced(OptionalInt.empty())).isEqualTo("announcing it");
    }
}
