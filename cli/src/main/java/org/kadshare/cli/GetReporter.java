package org.kadshare.cli;

import java.io.PrintStream;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;

/**
 * Shows a {@code get}'s events to the user. With {@code --json}, every event goes to stdout as one
 * NDJSON line. Otherwise, on a terminal (or with {@code --progress}), phases and a redrawn
 * progress line go to stderr; off a terminal nothing is shown until the final message.
 */
final class GetReporter {
    private final boolean json;
    private final boolean live;
    private final PrintStream out;
    private final PrintStream err;
    private boolean lineOpen;

    GetReporter(boolean json, boolean live, PrintStream out, PrintStream err) {
        this.json = json;
        this.live = live && !json;
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
            err.print("\r\u001b[K" + ProgressView.line(e.string("phase"), e.longValue("bytesDone"), e.longValue("totalBytes"),
                    e.longValue("bytesPerSecond"), e.longValue("etaMillis"), (int) e.longValue("peersConnected")));
            lineOpen = true;
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
