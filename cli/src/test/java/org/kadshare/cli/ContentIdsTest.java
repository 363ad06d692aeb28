package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.storage.ContentId;

class ContentIdsTest {
    private static final ContentId ONE = ContentId.parse("abcd01" + "0".repeat(58));
    private static final ContentId TWO = ContentId.parse("abcd02" + "0".repeat(58));

    @TempDir
    Path dataDir;

    @Test
    void aPrefixMatchingOneKnownIdGivesThatId() {
        assertThat(ContentIds.unique("abcd01", List.of(ONE, TWO))).isEqualTo(ONE);
    }

    @Test
    void anAmbiguousPrefixIsAUsageErrorListingTheMatches() {
        assertThatThrownBy(() -> ContentIds.unique("abcd", List.of(ONE, TWO)))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("ambiguous hash prefix 'abcd': 2 IDs")
                .hasMessageContaining(ONE.toHex()).hasMessageContaining(TWO.toHex());
    }

    @Test
    void anUnknownPrefixIsAUsageErrorSayingSo() {
        assertThatThrownBy(() -> ContentIds.unique("ffff", List.of(ONE, TWO)))
                .hasMessageContaining("unknown hash prefix 'ffff'");
    }

    @Test
    void aFullIdIsTakenAsItIsEvenIfNothingKnowsIt() {
        assertThat(ContentIds.resolve(ONE.toHex().toUpperCase(), dataDir.resolve("none"))).isEqualTo(ONE);
    }

    @Test
    void aShortOrMalformedPrefixIsAUsageError() {
        assertThatThrownBy(() -> ContentIds.resolve("abc", dataDir)).hasMessageContaining("at least 4 hex digits");
        assertThatThrownBy(() -> ContentIds.resolve("xyz!", dataDir)).hasMessageContaining("malformed hash");
    }
}
