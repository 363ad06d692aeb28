package org.kadshare.cli;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * The terminal's view of a logged exception: its chain of causes on the same line
 * ({@code : IOException: No space left on device}), never a stack trace. The log file keeps the
 * whole trace; a user at a terminal gets the reason, and a bug still names its exception.
 */
public final class OneLineThrowable extends ThrowableHandlingConverter {
    /** Causes shown at most, so a looping chain cannot make the line endless. */
    private static final int MAX_CAUSES = 4;

    /** Makes {@code %oneLineEx} known to the patterns of {@code ctx}. */
    static void register(ch.qos.logback.core.Context ctx) {
        @SuppressWarnings("unchecked")
        java.util.Map<String, String> rules = (java.util.Map<String, String>) ctx.getObject(
                ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY);
        if (rules == null) {
            rules = new java.util.HashMap<>();
            ctx.putObject(ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY, rules);
        }
        rules.put("oneLineEx", OneLineThrowable.class.getName());
    }

    @Override
    public String convert(ILoggingEvent event) {
        IThrowableProxy t = event.getThrowableProxy();
        if (t == null) {
            return "";
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            String name = t.getClassName();
            line.append(i == 0 ? " (" : "; caused by ").append(name.substring(name.lastIndexOf('.') + 1));
            if (t.getMessage() != null) {
                line.append(": ").append(t.getMessage());
            }
        }
        return line.append(')').toString();
    }
}
