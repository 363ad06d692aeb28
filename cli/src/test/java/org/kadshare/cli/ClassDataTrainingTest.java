package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void theNodeStepGetsTheHoldersFileWholeThroughTheGettersControlApi() {
        assertThat(ClassDataTraining.nodes(tmp)).isTrue();
    }
}
