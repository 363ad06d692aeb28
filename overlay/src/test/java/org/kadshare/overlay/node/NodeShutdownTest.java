package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kadshare.overlay.node.LoopbackNodes.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A node that is closed in the middle of its work says nothing alarming about it. */
class NodeShutdownTest {
    @TempDir
    Path tmp;

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private Logger nodeLogger;

    @BeforeEach
    void captureNodeLog() {
        nodeLogger = (Logger) LoggerFactory.getLogger(Node.class);
        events.start();
        nodeLogger.addAppender(events);
    }

    @AfterEach
    void stopCapturing() {
        nodeLogger.detachAppender(events);
    }

    @Test
    void closingWhileAnAnnounceIsStillGoingLogsNoWarning() throws Exception {
        Path file = Files.writeString(tmp.resolve("shared.txt"), "shared while the network goes away\n");
        try (LoopbackNodes nodes = new LoopbackNodes(tmp)) {
            Node a = nodes.start(0);
            Node b = nodes.start(1);
            await(a.join(List.of(b.dhtAddress())), "join");
            b.close();
            a.put(file, PutOptions.defaults());
            a.close();
        }
        assertThat(events.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }
}
