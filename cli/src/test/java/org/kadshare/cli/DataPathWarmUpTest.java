package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.overlay.transfer.tls.Encryption;

class DataPathWarmUpTest {
    @TempDir
    Path tmp;

    @Test
    void theExchangeGetsTheFileWholeEncryptedAndInClear() {
        assertThat(DataPathWarmUp.exchange(tmp.resolve("tls"), (3 << 20) + 7, Encryption.PREFER)).isTrue();
        assertThat(DataPathWarmUp.exchange(tmp.resolve("clear"), 1 << 20, Encryption.REFUSE)).isTrue();
    }

    @Test
    void aRunClearsWhatAnEarlierOneLeftAndLeavesNothingBehind() throws IOException {
        Path dir = tmp.resolve("warm-up");
        Files.createDirectories(dir.resolve("holder"));
        Files.write(dir.resolve("holder/left-by-a-killed-node"), new byte[1000]);

        assertThat(DataPathWarmUp.run(dir, 1 << 20, Encryption.PREFER)).isTrue();
        assertThat(dir).doesNotExist();
    }

    @Test
    void itRunsOnlyWhereTenTimesWhatItWritesIsFree() {
        assertThat(DataPathWarmUp.roomFor(32 << 20, 640L << 20)).isTrue();
        assertThat(DataPathWarmUp.roomFor(32 << 20, (640L << 20) - 1)).isFalse();
        assertThat(DataPathWarmUp.roomFor(32 << 20, 0)).isFalse();
    }

    @Test
    void onlyZeroInTheEnvironmentTurnsItOff() {
        assertThat(DataPathWarmUp.enabled(Map.of())).isTrue();
        assertThat(DataPathWarmUp.enabled(Map.of(DataPathWarmUp.SWITCH, "1"))).isTrue();
        assertThat(DataPathWarmUp.enabled(Map.of(DataPathWarmUp.SWITCH, "0"))).isFalse();
    }
}
