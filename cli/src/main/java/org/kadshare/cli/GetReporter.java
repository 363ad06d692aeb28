package org.kadshare.cli;

import java.io.PrintStream;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;

/**
 * Shows a {@code get}'s events to the user. With {@code --json}, every event goes to stdout as one
 * NDJSON line. Otherwise, on a terminal, phases and a redrawn progress line go to stderr; with
 * {@code --progress} off a terminal, each progress update is a plain line (no carriage return,
 * no escape codes); off a terminal without it nothing is shown until the final message.
 */
final class GetReporter {
    private final boolean json;
    private final boolean live;
    private final boolean redraw;
    private final PrintStream out;
    private final PrintStream err;
    private boolean lineOpen;

    /**
     * @param live   show phases and progress on {@code err}
     * @param redraw {@code err} is a terminal: redraw one progress line in place
     */
    GetReporter(boolean json, boolean live, boolean redraw, PrintStream out, PrintStream err) {
        this.json = json;
        this.live = live && !json;
        this.redraw = redraw;
        this.out = out;
        this.err = err;
    }

    void event(JsonObject e) {
        if (json) {
            out.println(Json.write(e.fields()));
            out.flush();
            return;
        }
        if (!live) {
            return;
        }
        String kind = e.optionalString("event").orElse("");
        if (kind.equals("phase")) {
            endLine();
            err.println("node: " + ProgressView.phaseLabel(e.string("phase")) + "...");
        } else if (kind.equals("progress")) {
            String line = ProgressView.line(e.string("phase"), e.longValue("bytesDone"), e.longValue("totalBytes"),
                    e.longValue("bytesPerSecond"), e.longValue("etaMillis"), (int) e.longValue("peersConnected"));
            if (redraw) {
                err.print("\r\u001b[K" + line);
                lineOpen = true;
            } else {
                err.println(line);
            }
        }
        err.flush();
    }

    void endLine() {
        if (lineOpen) {
            err.println();
            lineOpen = false;
        }
    }
}
