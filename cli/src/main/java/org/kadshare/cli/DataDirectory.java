package org.kadshare.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Decides where a node keeps its state. In order of precedence: the {@code --data-dir} flag, the
 * {@code KADSHARE_DATA_DIR} environment variable, {@code $XDG_DATA_HOME/kadshare}, and
 * {@code $HOME/.local/share/kadshare} (the XDG default).
 */
final class DataDirectory {
    static final String ENV_VARIABLE = "KADSHARE_DATA_DIR";

    private DataDirectory() {
    }

    static Path resolve(Path flag, Map<String, String> env) {
        if (flag != null) {
            return flag.toAbsolutePath().normalize();
        }
        String explicit = env.get(ENV_VARIABLE);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "kadshare");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".local", "share", "kadshare");
    }
}
