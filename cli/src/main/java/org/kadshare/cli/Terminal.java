package org.kadshare.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stderr is a terminal, and making text safe to print where it is not. The JDK only
 * tells whether stdin and stdout are a console; on Linux the target of {@code /proc/self/fd/2}
 * tells about stderr itself, so {@code node get 2>log} writes no control characters into the log.
 */
final class Terminal {
    private static final Path STDERR_LINK = Path.of("/proc/self/fd/2");
    private static volatile Boolean stderrTerminal;

    private Terminal() {
    }

    static boolean stderrIsTerminal() {
        Boolean known = stderrTerminal;
        if (known == null) {
            known = detect();
            stderrTerminal = known;
        }
        return known;
    }

    private static boolean detect() {
        try {
            String target = Files.readSymbolicLink(STDERR_LINK).toString();
            return isTerminalDevice(target);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** Whether a file descriptor's target names a terminal device. */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }

    /**
     * A message of several lines for stderr: each line {@link #printable}, and every line after
     * the first indented, so the message keeps its line breaks (a failed get lists the holders it
     * tried one a line) while no part of it can pass for a line of its own.
     */
    static String printableLines(String text) {
        String[] lines = text.split("\n", -1);
        StringBuilder b = new StringBuilder(printable(lines[0]));
        for (int i = 1; i < lines.length; i++) {
            String line = printable(lines[i]);
            b.append(System.lineSeparator()).append(line.startsWith(" ") || line.startsWith("\t") ? "" : "  ")
                    .append(line);
        }
        return b.toString();
    }

    /**
     * The text with every control character (C0 but tab, DEL, C1) replaced by {@code ?}: a file
     * name or a peer's message cannot move the cursor, clear the screen or forge a line.
     */
    static String printable(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f);
            if (control) {
                if (b == null) {
                    b = new StringBuilder(text.length()).append(text, 0, i);
                }
                b.append('?');
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? text : b.toString();
    }
}
