package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.kadshare.storage.StorageFullException;

class OneLineThrowableTest {
    private static String render(Throwable t) {
        LoggerContext ctx = new LoggerContext();
        LoggingEvent event = new LoggingEvent("x", ctx.getLogger("x"), Level.WARN, "saving failed", t, null);
        OneLineThrowable converter = new OneLineThrowable();
        converter.start();
        return converter.convert(event);
    }

    @Test
    void anExceptionIsShownAsItsChainOfCausesOnOneLineWithoutAStackTrace() {
        String line = render(new StorageFullException("disk full: writing /d/state: no space left on device",
                new IOException("No space left on device")));
        assertThat(line).isEqualTo(" (StorageFullException: disk full: writing /d/state: no space left on device; "
                + "caused by IOException: No space left on device)");
        assertThat(line).doesNotContain("\n", "\tat ");
    }

    @Test
    void anEventWithoutAnExceptionAddsNothing() {
        assertThat(render(null)).isEmpty();
    }
}
