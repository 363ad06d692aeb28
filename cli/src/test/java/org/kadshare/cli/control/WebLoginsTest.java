package org.kadshare.cli.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WebLoginsTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final WebLogins logins = new WebLogins(now::get);

    @Test
    void aSecretOpensOneSessionAndOnlyOnce() {
        String secret = logins.newSecret();
        Optional<String> session = logins.redeem(secret);
        assertThat(session).isPresent();
        assertThat(logins.isSession(session.get())).isTrue();
        assertThat(logins.redeem(secret)).isEmpty();
    }

    @Test
    void aSecretPastItsLifetimeIsRefused() {
        String secret = logins.newSecret();
        now.addAndGet(WebLogins.SECRET_LIFETIME_MILLIS);
        assertThat(logins.redeem(secret)).isEmpty();
    }

    @Test
    void aSecretJustInsideItsLifetimeIsAccepted() {
        String secret = logins.newSecret();
        now.addAndGet(WebLogins.SECRET_LIFETIME_MILLIS - 1);
        assertThat(logins.redeem(secret)).isPresent();
    }

    @Test
    void wrongOrMissingSecretsAndSessionsAreRefused() {
        logins.newSecret();
        assertThat(logins.redeem("0".repeat(48))).isEmpty();
        assertThat(logins.redeem(null)).isEmpty();
        assertThat(logins.isSession("0".repeat(48))).isFalse();
        assertThat(logins.isSession(null)).isFalse();
    }

    @Test
    void askingForMoreSecretsThanTheLimitDropsOnlyTheOldest() {
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i <= WebLogins.MAX_SECRETS; i++) {
            secrets.add(logins.newSecret());
        }
        assertThat(logins.redeem(secrets.get(0))).isEmpty();
        assertThat(logins.redeem(secrets.get(1))).isPresent();
        assertThat(logins.redeem(secrets.get(WebLogins.MAX_SECRETS))).isPresent();
    }

    @Test
    void moreSessionsThanTheLimitEndOnlyTheOldest() {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i <= WebLogins.MAX_SESSIONS; i++) {
            sessions.add(logins.redeem(logins.newSecret()).orElseThrow());
        }
        assertThat(logins.isSession(sessions.get(0))).isFalse();
        assertThat(logins.isSession(sessions.get(1))).isTrue();
        assertThat(logins.isSession(sessions.get(WebLogins.MAX_SESSIONS))).isTrue();
    }
}
