package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondHolderIsRefusedUntilTheFirstReleases() {
        try (NodeLock first = NodeLock.acquire(dir)) {
            assertThatThrownBy(() -> NodeLock.acquire(dir)).isInstanceOfSatisfying(CliException.class,
                    e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.ALREADY_RUNNING);
                        assertThat(e.getMessage()).contains("already running").contains(dir.toString());
                    });
        }
        try (NodeLock again = NodeLock.acquire(dir)) {
            assertThat(again).isNotNull();
        }
    }
}
