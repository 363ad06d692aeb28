package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.node.GetFailedException;
import org.kadshare.overlay.node.GetPhase;
import org.kadshare.overlay.node.GetTask;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.StoredFile;

class GetFollowerTest {
    private static final long TOTAL = 64L << 20;

    @Test
    void theFirstVerifiedBytesAreShownAtOnceAndLaterProgressAtMostOncePerInterval() {
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        ScriptedTask task = new ScriptedTask(clock,
                new Step(GetPhase.CONNECTING, progress(-1, 0), 0),
                new Step(GetPhase.DOWNLOADING, progress(TOTAL, 0), 10),
                new Step(GetPhase.DOWNLOADING, progress(TOTAL, 1 << 20), 10),
                new Step(GetPhase.DOWNLOADING, progress(TOTAL, 2 << 20), 10),
                new Step(GetPhase.DOWNLOADING, progress(TOTAL, 3 << 20), GetFollower.INTERVAL_MILLIS));
        List<Map<String, Object>> events = new ArrayList<>();

        assertThatThrownBy(() -> GetFollower.poll(task, events::add, clock::get))
                .isInstanceOf(GetFailedException.class);

        assertThat(events).extracting(e -> e.get("event") + " " + e.getOrDefault("phase", "") + " "
                + e.getOrDefault("bytesDone", "")).containsExactly(
                "phase CONNECTING ",
                "progress CONNECTING 0",
                "phase DOWNLOADING ",
                "progress DOWNLOADING 0",
                "progress DOWNLOADING 1048576",
                "progress DOWNLOADING 3145728");
    }

    @Test
    void aQuietGetStillSendsATickEverySecond() {
        AtomicLong clock = new AtomicLong(0);
        ScriptedTask task = new ScriptedTask(clock,
                new Step(GetPhase.FINDING_HOLDERS, null, 0),
                new Step(GetPhase.FINDING_HOLDERS, null, 600),
                new Step(GetPhase.FINDING_HOLDERS, null, 600),
                new Step(GetPhase.FINDING_HOLDERS, null, 600));
        List<Map<String, Object>> events = new ArrayList<>();

        assertThatThrownBy(() -> GetFollower.poll(task, events::add, clock::get))
                .isInstanceOf(GetFailedException.class);

        assertThat(events).extracting(e -> e.get("event")).containsExactly("phase", "tick");
    }

    private static DownloadProgress progress(long total, long done) {
        return new DownloadProgress(total, done, 0, 1, -1, 0, 0, 0, 0, List.of());
    }

    /** What the task shows at one poll, after the clock moved {@code afterMillis}. */
    private record Step(GetPhase phase, DownloadProgress progress, long afterMillis) {
    }

    /** Shows one step per poll (each wait on its result moves to the next), then fails. */
    private static final class ScriptedTask implements GetTask {
        private final AtomicLong clock;
        private final Step[] steps;
        private int at;

        ScriptedTask(AtomicLong clock, Step... steps) {
            this.clock = clock;
            this.steps = steps;
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(steps[0].afterMillis()));
        }

        @Override
        public ContentId id() {
            return ContentId.of(new byte[32]);
        }

        @Override
        public GetPhase phase() {
            return steps[at].phase();
        }

        @Override
        public DownloadProgress progress() {
            return steps[at].progress();
        }

        @Override
        public CompletableFuture<StoredFile> result() {
            at++;
            if (at == steps.length) {
                at--;
                return CompletableFuture.failedFuture(new GetFailedException(GetFailedException.Reason.NOT_FOUND,
                        "the script ended", null));
            }
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(steps[at].afterMillis()));
            return new CompletableFuture<>();
        }

        @Override
        public Path destination() {
            return null;
        }

        @Override
        public void cancel() {
        }
    }
}
