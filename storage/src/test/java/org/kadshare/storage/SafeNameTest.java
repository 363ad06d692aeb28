package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeNameTest {
    private static final String FALLBACK = "ab".repeat(32);

    @TempDir
    Path dir;

    @Test
    void anOrdinaryNameIsKeptAsItIs() {
        assertThat(SafeName.of("report 2024.pdf", FALLBACK)).isEqualTo("report 2024.pdf");
        assertThat(SafeName.of(".gitignore", FALLBACK)).isEqualTo(".gitignore");
    }

    @Test
    void separatorsNulAndNewlinesBecomeUnderscoresSoTheNameIsOneComponent() {
        assertThat(SafeName.of("../../etc/passwd", FALLBACK)).isEqualTo(".._.._etc_passwd");
        assertThat(SafeName.of("a\\b", FALLBACK)).isEqualTo("a_b");
        assertThat(SafeName.of("a\0b", FALLBACK)).isEqualTo("a_b");
        assertThat(SafeName.of("line1\nline2\r", FALLBACK)).isEqualTo("line1_line2_");
        assertThat(SafeName.of("evil\u202Etxt.exe", FALLBACK)).isEqualTo("evil_txt.exe");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "...", "   ", " . "})
    void aNameWithNothingUsableLeftBecomesTheFallback(String name) {
        assertThat(SafeName.of(name, FALLBACK)).isEqualTo(FALLBACK);
    }

    @Test
    void tenKibOfTextIsCutTo255BytesAtACodePointKeepingTheExtension() {
        String name = "é".repeat(5_000) + "\uD83D\uDE00".repeat(100) + ".txt";
        String safe = SafeName.of(name, FALLBACK);
        assertThat(safe.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SafeName.MAX_BYTES);
        assertThat(safe).endsWith(".txt").startsWith("éé");
        assertThat(safe.codePoints().allMatch(cp -> !Character.isSurrogate((char) cp))).isTrue();
    }

    @Test
    void namesEqualAfterNormalisationBecomeTheSameName() {
        assertThat(SafeName.of("e\u0301t\u00e9.txt", FALLBACK)).isEqualTo("\u00e9t\u00e9.txt");
    }

    @Test
    void aTakenNameIsNumberedAndANormalisationTwinCountsAsTaken() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "x");
        assertThat(FreeName.in(dir, "notes.txt").getFileName().toString()).isEqualTo("notes (1).txt");
        Files.writeString(dir.resolve("notes (1).txt"), "x");
        assertThat(FreeName.in(dir, "notes.txt").getFileName().toString()).isEqualTo("notes (2).txt");

        Files.writeString(dir.resolve("e\u0301.txt"), "decomposed");
        assertThat(FreeName.in(dir, SafeName.of("\u00e9.txt", FALLBACK)).getFileName().toString())
                .isEqualTo("\u00e9 (1).txt");
        assertThat(FreeName.in(dir, "fresh.txt").getFileName().toString()).isEqualTo("fresh.txt");
    }

    @Test
    void aNumberedLongNameStaysWithinTheByteLimit() {
        String numbered = SafeName.withNumber("x".repeat(251) + ".txt", 12);
        assertThat(numbered).endsWith(" (12).txt");
        assertThat(numbered.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SafeName.MAX_BYTES);
    }
}
