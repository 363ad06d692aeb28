package org.kadshare.overlay.transfer.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DownloadDiskTest {
    @Test
    void aTaskThatFindsTheQueueFullRunsOnTheCallerAndEveryQueuedOneStillRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger queuedRan = new AtomicInteger();
        List<String> overflowRanOn = new ArrayList<>();
        try (DownloadDisk disk = DownloadDisk.create(1, "disk-under-test")) {
            disk.execute(() -> {
                started.countDown();
                await(release);
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < DownloadDisk.QUEUE_CAPACITY; i++) {
                disk.execute(queuedRan::incrementAndGet);
            }
            disk.execute(() -> overflowRanOn.add(Thread.currentThread().getName()));
            assertThat(overflowRanOn).as("beyond the bound the caller does the work: nothing is lost")
                    .containsExactly(Thread.currentThread().getName());
            release.countDown();
        }
        waitUntil(() -> queuedRan.get() == DownloadDisk.QUEUE_CAPACITY);
        assertThat(queuedRan).as("closing lets the queued tasks run").hasValue(DownloadDisk.QUEUE_CAPACITY);
    }

    @Test
    void aTaskHandedInAfterCloseRunsOnTheCallerSoItsDownloadStillEnds() {
        DownloadDisk disk = DownloadDisk.create(2, "closed-disk");
        disk.close();
        List<String> ranOn = new ArrayList<>();
        disk.execute(() -> ranOn.add(Thread.currentThread().getName()));
        assertThat(ranOn).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void moreThreadsThanSixteenOrNoneAreRefused() {
        assertThatThrownBy(() -> DownloadDisk.create(0, "none"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> DownloadDisk.create(17, "many"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("17");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 3_000 && !done.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
    }
}
