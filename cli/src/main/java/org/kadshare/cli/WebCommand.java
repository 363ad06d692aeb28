package org.kadshare.cli;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.ControlServer;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code node web}: prints the address of the running node's dashboard with a one-time login
 * secret in it (valid for two minutes, used once: the page trades it for a session cookie and
 * removes it from the address bar), and with {@code --open} hands it to the desktop's browser.
 */
@Command(name = "web", description = "Print (or --open) a one-time login address of the running node's dashboard.")
final class WebCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand node;

    @Option(names = "--open", description = "Also open the address in the desktop's browser (xdg-open).")
    boolean open;

    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() {
        ControlClient client = RunningNode.require(node.dataDir());
        JsonObject login = RunningNode.call(() -> client.post(ControlServer.WEB_LOGIN_PATH, Map.of()));
        String url = login.string("url");
        boolean opened = open && openInBrowser(url);
        if (json.json) {
            System.out.println(Json.write(Map.of("url", url, "expiresInSeconds", login.longValue("expiresInSeconds"),
                    "opened", opened)));
            return ExitCode.OK;
        }
        System.out.println(url);
        Messages.info("the address works once, within " + login.longValue("expiresInSeconds") + " s; run `node web`"
                + " again for a new one");
        if (open && !opened) {
            Messages.info("could not start a browser (xdg-open); open the address above by hand");
        }
        return ExitCode.OK;
    }

    private static boolean openInBrowser(String url) {
        try {
            Process p = new ProcessBuilder("xdg-open", url).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
