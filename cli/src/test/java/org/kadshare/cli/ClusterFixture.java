package org.kadshare.cli;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture of the tests that run real {@code node} processes: a fresh {@link NodeCluster} on
 * its own 127.0.0.x addresses for every test, and every process it started killed after it.
 */
abstract class ClusterFixture {
    @TempDir
    Path tmp;

    NodeCluster cluster;

    @BeforeEach
    void cluster() {
        cluster = new NodeCluster(tmp, 2 + new Random().nextInt(200));
    }

    @AfterEach
    void killEveryNode() {
        cluster.close();
    }
}
