package org.kadshare.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kadshare.cli.control.Json;

/**
 * How a failed command tells the user: one line on stderr ({@code node: <message>}), and with
 * {@code --json} also one object on stdout with the same fields the control API uses for its
 * errors: {@code {"error": "<code name>", "message": ..., "exitCode": n}}. Commands whose
 * {@code --json} output is a stream of events ({@code get}, {@code join}) get
 * {@code "event": "failed"} first, so the error is the stream's last event.
 */
final class FailureReport {
    private static final List<String> STREAMING = List.of("get", "join");

    private FailureReport() {
    }

    /** Whether the command line asks for JSON (before any {@code --} end of options). */
    static boolean wantsJson(String... args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--json")) {
                return true;
            }
        }
        return false;
    }

    static Map<String, Object> json(String command, int exitCode, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (STREAMING.contains(command)) {
            m.put("event", "failed");
        }
        m.put("error", ExitCode.name(exitCode));
        m.put("message", message);
        m.put("exitCode", exitCode);
        return m;
    }

    /** Reports an exception a command let escape; an internal error also gets its stack trace. */
    static int print(Exception e, String command, boolean json, PrintWriter out, PrintWriter err) {
        Failures.Failure f = Failures.classify(e);
        print(command, f.exitCode(), f.message(), json, out, err);
        if (f.exitCode() == ExitCode.INTERNAL) {
            e.printStackTrace(err);
            err.flush();
        }
        return f.exitCode();
    }

    static int print(String command, int exitCode, String message, boolean json, PrintWriter out, PrintWriter err) {
        err.println("node: " + Terminal.printableLines(message));
        err.flush();
        if (json) {
            out.println(Json.write(json(command, exitCode, message)));
            out.flush();
        }
        return exitCode;
    }
}
