package org.kadshare.overlay.transfer.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The end of a run alone: the core is a log of what the end asks of it. */
class RunEndTest {
    private static final class FakeCore implements RunEnd.Core {
        final List<String> log = new ArrayList<>();
        int writesPending;

        @Override
        public void closeLinks() {
            log.add("close links");
        }

        @Override
        public void complete() {
            log.add("complete");
        }

        @Override
        public boolean writesPending() {
            return writesPending > 0;
        }

        @Override
        public void closePartial() {
            log.add("close partial");
        }

        @Override
        public void ended(Exception error) {
            log.add("ended " + (error == null ? "ok" : error.getMessage()));
        }
    }

    @Test
    void onceEveryLeafIsInAFailureChangesNothingAndTheCheckDecidesTheOutcome() {
        FakeCore core = new FakeCore();
        RunEnd end = new RunEnd(core);
        end.allIn();
        end.allIn();
        end.fail(new Exception("cancelled"), false, true);
        assertThat(end.isFinishing()).isTrue();
        assertThat(end.isDone()).isFalse();
        end.end(null);
        end.end(new Exception("late"));
        assertThat(core.log).containsExactly("close links", "complete", "ended ok");
        assertThat(end.isDone()).isTrue();
    }

    @Test
    void aRunFailingWithoutAPartialDownloadEndsAtOnce() {
        FakeCore core = new FakeCore();
        RunEnd end = new RunEnd(core);
        end.fail(new Exception("every holder is gone"), false, false);
        assertThat(core.log).containsExactly("close links", "ended every holder is gone");
        assertThat(end.isDone()).isTrue();
    }

    @Test
    void aRunFailingWithWritesOnTheDiskClosesThePartialDownloadOnlyOnceTheLastIsOver() {
        FakeCore core = new FakeCore();
        RunEnd end = new RunEnd(core);
        core.writesPending = 2;
        end.fail(new Exception("cancelled"), false, true);
        assertThat(end.closesOnceWritten()).isTrue();
        core.writesPending = 1;
        end.writeOver();
        assertThat(core.log).containsExactly("close links");
        core.writesPending = 0;
        end.writeOver();
        assertThat(core.log).containsExactly("close links", "close partial");
        assertThat(end.isDone()).as("done once the close is over").isFalse();
        end.partialClosed();
        assertThat(core.log).last().isEqualTo("ended cancelled");
    }

    @Test
    void aRunFailingWhileThePartialDownloadStartsWritesTheSpansInThenClosesIt() {
        FakeCore core = new FakeCore();
        RunEnd end = new RunEnd(core);
        end.fail(new Exception("every holder is gone"), true, false);
        end.fail(new Exception("cancelled"), true, false);
        assertThat(end.isFinishing()).isTrue();
        core.writesPending = 3; // the spans kept meanwhile, handed to the disk as the partial download started
        assertThat(end.partialStarted()).isTrue();
        core.writesPending = 0;
        end.writeOver();
        end.partialClosed();
        assertThat(core.log).containsExactly("close links", "close links", "close partial",
                "ended every holder is gone");
    }

    @Test
    void aPartialDownloadThatCannotStartAfterTheRunFailedEndsItWithTheFirstCause() {
        FakeCore core = new FakeCore();
        RunEnd end = new RunEnd(core);
        assertThat(end.partialFailed()).as("not failing: the core fails the run itself").isFalse();
        end.fail(new Exception("every holder is gone"), true, false);
        assertThat(end.partialFailed()).isTrue();
        assertThat(core.log).last().isEqualTo("ended every holder is gone");
    }

    @Test
    void aDiskFailureWhileTheCloseWaitsForTheWritesClosesAtOnce() {
        FakeCore core = new FakeCore();
        RunEnd end = new RunEnd(core);
        assertThat(end.diskFailed(true)).as("running: the run fails for it").isFalse();
        core.writesPending = 2;
        end.fail(new Exception("cancelled"), false, true);
        assertThat(end.diskFailed(false)).isTrue();
        assertThat(core.log).containsExactly("close links", "close partial");
        assertThat(end.closesOnceWritten()).isFalse();
        assertThat(end.diskFailed(true)).as("closed under a write while ending: nothing more").isTrue();
        assertThat(end.diskFailed(false)).isFalse();
    }
}
