package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoggingTest {
    @TempDir
    Path tmp;

    @AfterEach
    void quietAgain() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).reset();
    }

    @Test
    void theLogFileRollsOverAtItsLimitAndOnlyTheNewestOldFilesAreKept() throws Exception {
        Path log = tmp.resolve("node.log");
        int limit = 4096;
        Logging.configure("INFO", Map.of(), new Logging.LogFiles(log, limit, 2));
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).detachAppender("stderr");
        Logger logger = LoggerFactory.getLogger("org.kadshare.test");
        String padding = "x".repeat(60);
        int lines = 2_000;
        for (int i = 0; i < lines; i++) {
            logger.info("line {} {}", i, padding);
        }

        List<String> newest = Files.readAllLines(log);
        assertThat(newest.get(newest.size() - 1)).contains("line " + (lines - 1) + " ");
        assertThat(tmp.resolve("node.1.log")).exists();
        assertThat(tmp.resolve("node.2.log")).exists();
        assertThat(tmp.resolve("node.3.log")).doesNotExist();
        int lineBytes = newest.get(0).length() + 1;
        for (String name : List.of("node.log", "node.1.log", "node.2.log")) {
            assertThat(Files.size(tmp.resolve(name))).as(name).isLessThan(limit + lineBytes);
        }
        List<String> previous = Files.readAllLines(tmp.resolve("node.1.log"));
        assertThat(previous.get(previous.size() - 1)).as("node.1.log ends where node.log begins")
                .contains("line " + (lines - 1 - newest.size()) + " ");
    }

    @Test
    void oldFilesAreNamedBeforeTheExtension() {
        assertThat(Logging.LogFiles.defaults(tmp.resolve("node.log")).oldFilePattern())
                .isEqualTo(tmp.resolve("node.%i.log").toString());
        assertThat(new Logging.LogFiles(tmp.resolve("log"), 1, 1).oldFilePattern())
                .isEqualTo(tmp.resolve("log.%i").toString());
    }

    @Test
    void aLimitThatCannotBoundTheLogIsRefused() {
        assertThatThrownBy(() -> new Logging.LogFiles(tmp.resolve("node.log"), 0, 4))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Logging.LogFiles(tmp.resolve("node.log"), 1024, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
