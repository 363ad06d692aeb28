package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static InetAddress ip(int n) {
        try {
            return InetAddress.getByAddress(new byte[] {10, 0, (byte) (n >>> 8), (byte) n});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void burstPassesThenTheSourceIsThrottledUntilTokensRefill() {
        RateLimiter limiter = new RateLimiter(2, 3, 10);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire(ip(1), 0)).isTrue();
        }
        assertThat(limiter.tryAcquire(ip(1), 0)).isFalse();
        assertThat(limiter.tryAcquire(ip(1), 499)).isFalse();
        assertThat(limiter.tryAcquire(ip(1), 500)).isTrue();
        assertThat(limiter.tryAcquire(ip(1), 500)).isFalse();
    }

    @Test
    void oneSourceBeingThrottledDoesNotThrottleAnother() {
        RateLimiter limiter = new RateLimiter(1, 1, 10);
        assertThat(limiter.tryAcquire(ip(1), 0)).isTrue();
        assertThat(limiter.tryAcquire(ip(1), 0)).isFalse();
        assertThat(limiter.tryAcquire(ip(2), 0)).isTrue();
    }

    @Test
    void refillNeverExceedsTheBurst() {
        RateLimiter limiter = new RateLimiter(100, 2, 10);
        limiter.tryAcquire(ip(1), 0);
        int passed = 0;
        for (int i = 0; i < 10; i++) {
            passed += limiter.tryAcquire(ip(1), 1_000_000) ? 1 : 0;
        }
        assertThat(passed).isEqualTo(2);
    }

    @Test
    void trackedSourcesStayBoundedAndTheLeastRecentlyActiveIsForgotten() {
        RateLimiter limiter = new RateLimiter(1, 1, 3);
        limiter.tryAcquire(ip(1), 0);
        limiter.tryAcquire(ip(2), 0);
        limiter.tryAcquire(ip(3), 0);
        assertThat(limiter.tryAcquire(ip(1), 0)).isFalse();   // source 1 is now the most recent
        for (int i = 4; i < 100; i++) {
            limiter.tryAcquire(ip(i), 0);
            assertThat(limiter.trackedSources()).isLessThanOrEqualTo(3);
        }
        limiter = new RateLimiter(1, 1, 3);
        limiter.tryAcquire(ip(1), 0);
        limiter.tryAcquire(ip(2), 0);
        limiter.tryAcquire(ip(3), 0);
        limiter.tryAcquire(ip(1), 0);
        limiter.tryAcquire(ip(4), 0);                        // evicts source 2, not 1
        assertThat(limiter.tryAcquire(ip(1), 0)).isFalse();
        assertThat(limiter.tryAcquire(ip(2), 0)).isTrue();
    }
}
