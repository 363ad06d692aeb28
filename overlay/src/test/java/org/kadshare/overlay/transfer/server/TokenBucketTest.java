package org.kadshare.overlay.transfer.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    @Test
    void aFullBucketLendsOneReplyThenMakesTheNextWaitUntilTheDebtIsPaid() {
        AtomicLong now = new AtomicLong(1_000);
        TokenBucket bucket = new TokenBucket(1000, now::get);
        assertThat(bucket.tryTake(1000)).isZero();
        assertThat(bucket.tryTake(500)).isZero();
        assertThat(bucket.tryTake(1)).isEqualTo(500_000_000L);
        now.addAndGet(499_000_000L);
        assertThat(bucket.tryTake(1)).isEqualTo(1_000_000L);
        now.addAndGet(1_000_000L);
        assertThat(bucket.tryTake(1)).isZero();
    }

    @Test
    void bytesTakenOverTimeStayWithinRateTimesTimePlusOneSecondAndOneReply() {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(10_000, now::get);
        long taken = 0;
        for (int step = 0; step < 10_000; step++) {
            if (bucket.tryTake(700) == 0) {
                taken += 700;
            }
            now.addAndGet(1_000_000L);
        }
        assertThat(taken).isLessThanOrEqualTo(10_000L * 10 + 10_000 + 700).isGreaterThan(10_000L * 9);
    }

    @Test
    void rateZeroNeverWaits() {
        TokenBucket bucket = new TokenBucket(0, () -> 0);
        for (int i = 0; i < 100; i++) {
            assertThat(bucket.tryTake(1 << 22)).isZero();
        }
    }
}
