package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenIssuerTest {
    private static final long ROTATION = 5 * 60_000;
    private final InetAddress alice = address(1);
    private final InetAddress bob = address(2);

    private static InetAddress address(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void tokenIsAcceptedFromTheAddressItWasIssuedTo() {
        TokenIssuer issuer = new TokenIssuer(new SplittableRandom(1), ROTATION, 0);
        byte[] token = issuer.issue(alice, 0);
        assertThat(token).hasSize(TokenIssuer.TOKEN_BYTES);
        assertThat(issuer.isValid(alice, token, 1000)).isTrue();
        assertThat(issuer.isValid(bob, token, 1000)).isFalse();
    }

    @Test
    void tokenSurvivesOneRotationButNotTwo() {
        TokenIssuer issuer = new TokenIssuer(new SplittableRandom(1), ROTATION, 0);
        byte[] token = issuer.issue(alice, ROTATION - 1);
        assertThat(issuer.isValid(alice, token, ROTATION + 1)).isTrue();
        assertThat(issuer.isValid(alice, token, 2 * ROTATION - 1)).isTrue();
        assertThat(issuer.isValid(alice, token, 2 * ROTATION)).isFalse();
    }

    @Test
    void longSilenceInvalidatesEveryOldToken() {
        TokenIssuer issuer = new TokenIssuer(new SplittableRandom(1), ROTATION, 0);
        byte[] token = issuer.issue(alice, 0);
        assertThat(issuer.isValid(alice, token, 60 * ROTATION)).isFalse();
        byte[] fresh = issuer.issue(alice, 60 * ROTATION);
        assertThat(issuer.isValid(alice, fresh, 60 * ROTATION + ROTATION / 2)).isTrue();
    }

    @Test
    void flippedOrTruncatedTokenIsRefused() {
        TokenIssuer issuer = new TokenIssuer(new SplittableRandom(1), ROTATION, 0);
        byte[] token = issuer.issue(alice, 0);
        byte[] flipped = token.clone();
        flipped[3] ^= 1;
        assertThat(issuer.isValid(alice, flipped, 0)).isFalse();
        assertThat(issuer.isValid(alice, java.util.Arrays.copyOf(token, 4), 0)).isFalse();
        assertThat(issuer.isValid(alice, null, 0)).isFalse();
    }

    @Test
    void sameSeedIssuesTheSameTokens() {
        byte[] a = new TokenIssuer(new SplittableRandom(9), ROTATION, 0).issue(alice, 0);
        byte[] b = new TokenIssuer(new SplittableRandom(9), ROTATION, 0).issue(alice, 0);
        assertThat(a).isEqualTo(b);
    }
}
