package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataDirectoryTest {

    @Test
    void flagWinsOverEnvironment() {
        Path dir = DataDirectory.resolve(Path.of("/tmp/flag"),
                Map.of("KADSHARE_DATA_DIR", "/tmp/env", "XDG_DATA_HOME", "/tmp/xdg"));
        assertThat(dir).isEqualTo(Path.of("/tmp/flag"));
    }

    @Test
    void environmentVariableWinsOverXdg() {
        Path dir = DataDirectory.resolve(null,
                Map.of("KADSHARE_DATA_DIR", "/tmp/env", "XDG_DATA_HOME", "/tmp/xdg"));
        assertThat(dir).isEqualTo(Path.of("/tmp/env"));
    }

    @Test
    void xdgDataHomeIsTheDefaultParent() {
        Path dir = DataDirectory.resolve(null, Map.of("XDG_DATA_HOME", "/tmp/xdg", "HOME", "/home/u"));
        assertThat(dir).isEqualTo(Path.of("/tmp/xdg/kadshare"));
    }

    @Test
    void relativeXdgDataHomeIsIgnoredAsTheSpecSays() {
        Path dir = DataDirectory.resolve(null, Map.of("XDG_DATA_HOME", "rel", "HOME", "/home/u"));
        assertThat(dir).isEqualTo(Path.of("/home/u/.local/share/kadshare"));
    }

    @Test
    void withoutXdgTheHomeLocalShareIsUsed() {
        Path dir = DataDirectory.resolve(null, Map.of("HOME", "/home/u"));
        assertThat(dir).isEqualTo(Path.of("/home/u/.local/share/kadshare"));
    }
}
