package org.kadshare.cli;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code node stop}: asks the running node to shut down as Ctrl-C would (partial downloads are
 * saved, the control file removed) and waits until its process has exited.
 */
@Command(name = "stop", description = "Stop the running node cleanly and wait until it has exited.")
final class StopCommand implements Callable<Integer> {
    static final long POLL_MILLIS = 100;

    @ParentCommand
    NodeCommand node;

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "60s",
            description = "How long to wait for the node to exit (default 60s).")
    String timeout;

    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() throws Exception {
        long timeoutMillis = Durations.parseMillis(timeout);
        ControlClient client = RunningNode.require(node.dataDir());
        long pid = client.endpoint().pid();
        RunningNode.call(() -> client.post("/v1/stop", Map.of()));
        if (!awaitExit(pid, timeoutMillis)) {
            throw new CliException(ExitCode.TIMEOUT, "the node (pid " + pid + ") is still stopping after "
                    + timeout);
        }
        if (json.json) {
            System.out.println(Json.write(Map.of("stopped", true, "pid", pid)));
        } else {
            Messages.info("stopped the node (pid " + pid + ")");
        }
        return ExitCode.OK;
    }

    /** Waits for the process to end; where it cannot be seen, until its control API is gone. */
    private boolean awaitExit(long pid, long timeoutMillis) throws Exception {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            try {
                process.get().onExit().get(timeoutMillis, TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                return false;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (RunningNode.find(node.dataDir()).isPresent()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }
}
