package org.kadshare.overlay.transfer.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    @Test
    void aFullBucketLendsOneReplyThenMakesTheNextWaitUntilTheDebtIsPaid() {
        AtomicLong now = new AtomicLong(1_000);
        TokenBucket bucket = new TokenBucket(10_000, now::get);
        // full: 100 ms of 10,000 B/s
        assertThat(bucket.tryTake(1000)).isZero();
        assertThat(bucket.tryTake(500)).isZero();
        assertThat(bucket.tryTake(1)).isEqualTo(50_000_000L);
        now.addAndGet(49_000_000L);
        assertThat(bucket.tryTake(1)).isEqualTo(1_000_000L);
        now.addAndGet(1_000_000L);
        assertThat(bucket.tryTake(1)).isZero();
    }

    @Test
    void anIdleSecondLetsOnlyAHundredMillisecondsOfTheRateThroughAtOnce() {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(25L << 20, now::get);
        bucket.tryTake(1);
        now.addAndGet(1_000_000_000L);
        long burst = 0;
        while (bucket.tryTake(1 << 16) == 0) {
            burst += 1 << 16;
        }
        // 2.5 MiB of tokens and one reply of debt, not the 25 MiB a bucket of one second held
        assertThat(burst).isLessThanOrEqualTo((25L << 20) / 10 + (1 << 16)).isGreaterThanOrEqualTo((25L << 20) / 10);
    }

    @Test
    void bytesTakenOverTimeStayWithinRateTimesTimePlusTheBurstAndOneReply() {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(10_000, now::get);
        long taken = 0;
        for (int step = 0; step < 10_000; step++) {
            if (bucket.tryTake(700) == 0) {
                taken += 700;
            }
            now.addAndGet(1_000_000L);
        }
        assertThat(taken).isLessThanOrEqualTo(10_000L * 10 + 1_000 + 700).isGreaterThan(10_000L * 9);
    }

    @Test
    void rateZeroNeverWaits() {
        TokenBucket bucket = new TokenBucket(0, () -> 0);
        for (int i = 0; i < 100; i++) {
            assertThat(bucket.tryTake(1 << 22)).isZero();
        }
    }
}
