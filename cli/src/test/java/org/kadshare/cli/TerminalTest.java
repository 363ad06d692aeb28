package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kadshare.cli.control.JsonObject;

class TerminalTest {
    @Test
    void controlCharactersAreReplacedAndOrdinaryTextIsKept() {
        assertThat(Terminal.printable("evil\u001b[2Jname\r\u0007\u009b.txt")).isEqualTo("evil?[2Jname???.txt");
        assertThat(Terminal.printable("tab\tand ünïcode")).isEqualTo("tab\tand ünïcode");
    }

    @Test
    void aMessageKeepsItsLineBreaksAndNoLineOfItCanPassForALineOfItsOwn() {
        String nl = System.lineSeparator();
        assertThat(Terminal.printableLines("get failed; holders tried:\n  10.0.0.1:4870: gone\n  10.0.0.2:4870: BUSY"))
                .isEqualTo("get failed; holders tried:" + nl + "  10.0.0.1:4870: gone" + nl + "  10.0.0.2:4870: BUSY");
        assertThat(Terminal.printableLines("reason\nnode: forged\r\u001b[2J"))
                .isEqualTo("reason" + nl + "  node: forged??[2J");
    }

    @Test
    void terminalDevicesAreToldFromFilesAndPipes() {
        assertThat(Terminal.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(Terminal.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(Terminal.isTerminalDevice("/tmp/node-err.txt")).isFalse();
        assertThat(Terminal.isTerminalDevice("pipe:[12345]")).isFalse();
        assertThat(Terminal.isTerminalDevice("/dev/null")).isFalse();
    }

    @Test
    void progressOffATerminalIsPlainLinesWithoutCarriageReturnsOrEscapes() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        GetReporter reporter = new GetReporter(false, true, false, System.out, new PrintStream(err, true,
                StandardCharsets.UTF_8));
        reporter.event(new JsonObject(Map.of("event", "phase", "phase", "DOWNLOADING")));
        for (long done : new long[] {10, 20}) {
            reporter.event(new JsonObject(Map.of("event", "progress", "phase", "DOWNLOADING", "bytesDone", done,
                    "totalBytes", 40L, "bytesPerSecond", 5L, "etaMillis", 1000L, "peersConnected", 1L)));
        }
        reporter.endLine();
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\r", "\u001b").hasLineCount(3).contains("25%", "50%");
    }

    @Test
    void progressOnATerminalRedrawsOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        GetReporter reporter = new GetReporter(false, true, true, System.out, new PrintStream(err, true,
                StandardCharsets.UTF_8));
        reporter.event(new JsonObject(Map.of("event", "progress", "phase", "DOWNLOADING", "bytesDone", 10L,
                "totalBytes", 40L, "bytesPerSecond", 5L, "etaMillis", 1000L, "peersConnected", 1L)));
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("\r\u001b[K");
    }
}
