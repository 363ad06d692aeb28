package org.kadshare.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TriggeringPolicyBase;
import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback for a long-running node: one line per event to stderr and to the node's log
 * file, a root level, and per-subsystem levels. Short commands keep the packaged
 * {@code logback.xml} (warnings only, stderr).
 *
 * <p>The log file is bounded: once it reaches {@link LogFiles#maxFileBytes} it is renamed
 * {@code node.1.log} (older ones shift to {@code node.2.log} ...) and the oldest beyond
 * {@link LogFiles#keptOldFiles} is deleted, so a node that runs for months, or that peers provoke
 * into warning, never fills the disk with its log.
 */
final class Logging {
    /** Where a node logs and how much of it is kept. */
    record LogFiles(Path file, long maxFileBytes, int keptOldFiles) {
        static final long DEFAULT_MAX_FILE_BYTES = 10L << 20;
        static final int DEFAULT_KEPT_OLD_FILES = 4;

        LogFiles {
            if (maxFileBytes <= 0 || keptOldFiles < 1 || keptOldFiles > 20) {
                throw new IllegalArgumentException("log files: " + maxFileBytes + " bytes each, " + keptOldFiles
                        + " kept (need > 0 bytes and 1..20 old files)");
            }
        }

        /** {@code file}, 10 MiB, four old files: at most about 50 MiB of log. */
        static LogFiles defaults(Path file) {
            return new LogFiles(file, DEFAULT_MAX_FILE_BYTES, DEFAULT_KEPT_OLD_FILES);
        }

        /** The name pattern of the old files: {@code node.log} -> {@code node.%i.log}. */
        String oldFilePattern() {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String pattern = dot > 0 ? name.substring(0, dot) + ".%i" + name.substring(dot) : name + ".%i";
            return file.resolveSibling(pattern).toString();
        }
    }

    /**
     * Rolls when the file has reached the limit, looked at on every event (logback's own size
     * policy looks at most once a minute, so a burst could overshoot by far).
     */
    private static final class SizeLimit<E> extends TriggeringPolicyBase<E> {
        private final long maxBytes;

        SizeLimit(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public boolean isTriggeringEvent(File activeFile, E event) {
            return activeFile.length() >= maxBytes;
        }
    }

    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n";
    /** The terminal's pattern: an exception as one line of causes, never a stack trace (the file keeps it). */
    private static final String CONSOLE_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg"
            + "%oneLineEx%n";
    private static final Map<String, String> SUBSYSTEMS = Map.of(
            "dht", "org.kadshare.overlay.dht",
            "runtime", "org.kadshare.overlay.runtime",
            "transfer", "org.kadshare.overlay.transfer",
            "download", "org.kadshare.overlay.transfer.download",
            "upload", "org.kadshare.overlay.transfer.server",
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

    static void configure(String rootLevel, Map<String, String> levels, LogFiles logFiles) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(rootLevel, Level.INFO));

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setName("stderr");
        console.setTarget("System.err");
        console.setEncoder(encoder(ctx, CONSOLE_PATTERN));
        console.start();
        root.addAppender(console);

        if (logFiles != null) {
            root.addAppender(rollingFile(ctx, logFiles));
        }
        if (!levels.containsKey("netty") && !"trace".equals(rootLevel)) {
            ctx.getLogger("io.netty").setLevel(Level.INFO);
        }
        levels.forEach((name, level) -> ctx.getLogger(loggerName(name)).setLevel(Level.toLevel(level, Level.INFO)));
    }

    private static RollingFileAppender<ILoggingEvent> rollingFile(LoggerContext ctx, LogFiles files) {
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(ctx);
        file.setName("file");
        file.setFile(files.file().toString());
        file.setAppend(true);
        file.setEncoder(encoder(ctx, PATTERN));
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(ctx);
        rolling.setParent(file);
        rolling.setFileNamePattern(files.oldFilePattern());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(files.keptOldFiles());
        rolling.start();
        SizeLimit<ILoggingEvent> limit = new SizeLimit<>(files.maxFileBytes());
        limit.setContext(ctx);
        limit.start();
        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(limit);
        file.start();
        return file;
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx, String pattern) {
        OneLineThrowable.register(ctx);
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(ctx);
        e.setPattern(pattern);
        e.start();
        return e;
    }
}
