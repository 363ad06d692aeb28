package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import org.kadshare.storage.ManifestException;
import org.kadshare.storage.StorageFullException;

class FailuresTest {

    @Test
    void eachKindOfFailureGetsItsOwnExitCode() {
        assertThat(Failures.classify(new NoSuchFileException("a")).exitCode()).isEqualTo(ExitCode.NO_SUCH_FILE);
        assertThat(Failures.classify(new AccessDeniedException("a")).exitCode()).isEqualTo(ExitCode.PERMISSION);
        assertThat(Failures.classify(new StorageFullException("full", null)).exitCode()).isEqualTo(ExitCode.DISK_FULL);
        assertThat(Failures.classify(new FileSystemException("f", null, "No space left on device")).exitCode())
                .isEqualTo(ExitCode.DISK_FULL);
        assertThat(Failures.classify(new ManifestException("bad")).exitCode()).isEqualTo(ExitCode.VERIFICATION);
        assertThat(Failures.classify(new IOException("eio")).exitCode()).isEqualTo(ExitCode.IO);
        assertThat(Failures.classify(new IllegalStateException("bug")).exitCode()).isEqualTo(ExitCode.INTERNAL);
        assertThat(Failures.classify(new CliException(ExitCode.NOT_FOUND, "x")).exitCode())
                .isEqualTo(ExitCode.NOT_FOUND);
    }

    @Test
    void theMessageNamesTheFile() {
        assertThat(Failures.classify(new NoSuchFileException("/data/x.bin")).message()).contains("/data/x.bin");
    }
}
