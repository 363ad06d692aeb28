package org.kadshare.cli;

import java.util.Locale;

/** Formats a {@code get}'s phase and progress as one terminal line. Pure: no I/O, no clock. */
final class ProgressView {
    static final int BAR_WIDTH = 24;

    private ProgressView() {
    }

    static String phaseLabel(String phase) {
        return switch (phase) {
            case "FINDING_HOLDERS" -> "finding holders";
            case "CONNECTING" -> "connecting";
            case "DOWNLOADING" -> "downloading";
            case "VERIFYING" -> "verifying";
            case "DONE" -> "done";
            case "FAILED" -> "failed";
            default -> phase.toLowerCase(Locale.ROOT);
        };
    }

    static String line(String phase, long bytesDone, long totalBytes, long bytesPerSecond, long etaMillis,
            int peers) {
        boolean known = totalBytes >= 0; // -1 until a holder has proven the length
        int percent = !known ? 0 : totalBytes == 0 ? 100 : (int) Math.min(100, bytesDone * 100 / totalBytes);
        int filled = percent * BAR_WIDTH / 100;
        return String.format(Locale.ROOT, "%-15s [%s%s] %s  %s / %s  %s/s  ETA %s  %d %s",
                phaseLabel(phase), "#".repeat(filled), ".".repeat(BAR_WIDTH - filled),
                known ? String.format(Locale.ROOT, "%3d%%", percent) : "  ?%",
                Messages.bytes(bytesDone), known ? Messages.bytes(totalBytes) : "?",
                Messages.bytes(Math.max(0, bytesPerSecond)),
                eta(etaMillis), peers, peers == 1 ? "peer" : "peers");
    }

    static String eta(long millis) {
        if (millis < 0) {
            return "--:--";
        }
        long s = (millis + 999) / 1000;
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
