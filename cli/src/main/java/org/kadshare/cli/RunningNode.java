package org.kadshare.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.ControlError;

/** Finds the node running on a data directory through its control file, for the short commands. */
final class RunningNode {
    private RunningNode() {
    }

    static Optional<ControlClient> find(Path dataDir) {
        try {
            return ControlClient.find(dataDir);
        } catch (ControlError e) {
            throw failure(e);
        } catch (IOException e) {
            throw new CliException(ExitCode.IO, "cannot reach the running node: " + e.getMessage(), e);
        }
    }

    static ControlClient require(Path dataDir) {
        return find(dataDir).orElseThrow(() -> new CliException(ExitCode.NO_NODE,
                "no node is running on data directory " + dataDir + " (start one with `node join`)"));
    }

    /** The exit code and message of a failed control request. */
    static CliException failure(ControlError e) {
        if (e.httpStatus() == 401 || e.httpStatus() == 403) {
            return new CliException(ExitCode.IO, "the running node refused the request: " + e.getMessage());
        }
        int code = e.exitCode() >= 0 ? e.exitCode() : ExitCode.IO;
        return new CliException(code, e.getMessage());
    }

    /** Runs a control request, turning its failures into CLI failures. */
    static <T> T call(Request<T> request) {
        try {
            return request.run();
        } catch (ControlError e) {
            throw failure(e);
        } catch (IOException e) {
            throw new CliException(ExitCode.IO, "lost the connection to the running node: " + e.getMessage(), e);
        }
    }

    /** One control request. */
    @FunctionalInterface
    interface Request<T> {
        T run() throws IOException, ControlError;
    }
}
