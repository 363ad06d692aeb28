package org.kadshare.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logback's set-up for the short commands, found through {@code META-INF/services} when something
 * first logs: warnings and errors to stderr (stdout is for results), or the level in the system
 * property {@code kadshare.log.level}. Done in code rather than by a {@code logback.xml}, whose
 * XML parsing costs a short command tens of milliseconds; a command that never logs never
 * starts logging at all. {@code join} replaces it with {@link Logging#configure}.
 */
public final class QuietLogging extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%oneLineEx%n";

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        OneLineThrowable.register(ctx);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setName("stderr");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty("kadshare.log.level"), Level.WARN));
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
