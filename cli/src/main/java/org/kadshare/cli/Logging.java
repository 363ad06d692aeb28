package org.kadshare.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback for a long-running node: one line per event to stderr and to the node's log
 * file, a root level, and per-subsystem levels. Short commands keep the packaged
 * {@code logback.xml} (warnings only, stderr).
 */
final class Logging {
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n";
    private static final Map<String, String> SUBSYSTEMS = Map.of(
            "dht", "org.kadshare.overlay.dht",
            "runtime", "org.kadshare.overlay.runtime",
            "transfer", "org.kadshare.overlay.transfer",
            "download", "org.kadshare.overlay.transfer.download",
            "node", "org.kadshare.overlay.node",
            "storage", "org.kadshare.storage",
            "control", "org.kadshare.cli.control",
            "cli", "org.kadshare.cli",
            "netty", "io.netty");

    private Logging() {
    }

    /** The logger name a subsystem alias stands for; other names are taken as logger names. */
    static String loggerName(String subsystem) {
        String s = subsystem.startsWith("kadshare.") ? subsystem.substring("kadshare.".length()) : subsystem;
        return SUBSYSTEMS.getOrDefault(s, subsystem);
    }

    static void configure(String rootLevel, Map<String, String> levels, Path logFile) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(rootLevel, Level.INFO));

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setName("stderr");
        console.setTarget("System.err");
        console.setEncoder(encoder(ctx));
        console.start();
        root.addAppender(console);

        if (logFile != null) {
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setContext(ctx);
            file.setName("file");
            file.setFile(logFile.toString());
            file.setAppend(true);
            file.setEncoder(encoder(ctx));
            file.start();
            root.addAppender(file);
        }
        if (!levels.containsKey("netty") && !"trace".equals(rootLevel)) {
            ctx.getLogger("io.netty").setLevel(Level.INFO);
        }
        levels.forEach((name, level) -> ctx.getLogger(loggerName(name)).setLevel(Level.toLevel(level, Level.INFO)));
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(ctx);
        e.setPattern(PATTERN);
        e.start();
        return e;
    }
}
