package org.kadshare.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.kadshare.overlay.reach.MappingMethod;
import org.kadshare.overlay.reach.ReachOptions;
import org.kadshare.overlay.transfer.tls.Encryption;

/**
 * Merges a node's settings from, in increasing precedence: the defaults, the data directory's
 * {@code config.properties}, the environment ({@code KADSHARE_PORT}, ...), and command-line flags.
 * Every value is validated, and a bad one is reported with where it came from.
 */
final class Configuration {
    static final String FILE_NAME = "config.properties";
    private static final Set<String> LEVELS = Set.of("off", "error", "warn", "info", "debug", "trace");

    private Configuration() {
    }

    /** A value and where it came from, for error messages. */
    private record Sourced(String value, String source) {
    }

    static NodeSettings merge(Properties file, Map<String, String> env, Map<Setting, String> flags) {
        Map<Setting, Sourced> chosen = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            Sourced v = new Sourced(s.defaultValue(), "the default");
            String fromFile = file.getProperty(s.key());
            if (fromFile != null) {
                v = new Sourced(fromFile.strip(), FILE_NAME + " (" + s.key() + ")");
            }
            String fromEnv = env.get(s.environmentVariable());
            if (fromEnv != null && !fromEnv.isBlank()) {
                v = new Sourced(fromEnv.strip(), s.environmentVariable());
            }
            String fromFlag = flags.get(s);
            if (fromFlag != null) {
                v = new Sourced(fromFlag.strip(), "--" + s.key().replace('.', '-'));
            }
            chosen.put(s, v);
        }
        Map<String, String> logLevels = new LinkedHashMap<>();
        for (String name : file.stringPropertyNames()) {
            if (name.startsWith("log.") && !name.equals(Setting.LOG_LEVEL.key())) {
                logLevels.put(name.substring(4), level(new Sourced(file.getProperty(name).strip(),
                        FILE_NAME + " (" + name + ")")));
            }
        }
        Sourced log = chosen.get(Setting.LOG);
        for (String pair : log.value().split("[,\\s]+")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw invalid(log, "expected subsystem=level");
            }
            logLevels.put(pair.substring(0, eq), level(new Sourced(pair.substring(eq + 1), log.source())));
        }
        return new NodeSettings(port(chosen.get(Setting.PORT)), bind(chosen.get(Setting.BIND)),
                bootstrap(chosen.get(Setting.BOOTSTRAP)), size(chosen.get(Setting.CACHE_SIZE)),
                slots(chosen.get(Setting.UPLOAD_SLOTS)), size(chosen.get(Setting.UPLOAD_RATE)),
                bool(chosen.get(Setting.DHT_LOCAL_EXEMPT)), bool(chosen.get(Setting.DOWNLOAD_DIRECT_WRITES)),
                level(chosen.get(Setting.LOG_LEVEL)), logLevels,
                encryption(chosen.get(Setting.ENCRYPTION)), reach(chosen.get(Setting.PORT_MAPPING),
                        chosen.get(Setting.GATEWAY), chosen.get(Setting.PORT_MAPPING_LIFETIME)));
    }

    /** Reads {@code config.properties} from the data directory; empty if there is none. */
    static Properties load(Path dataDir) {
        Properties p = new Properties();
        Path file = dataDir.resolve(FILE_NAME);
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return p;
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException(ExitCode.IO, "cannot read " + file + ": " + e.getMessage());
        }
        return p;
    }

    /** Creates {@code config.properties} with every setting commented out at its default. */
    static boolean writeDefaultsIfAbsent(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return false;
        }
        StringBuilder text = new StringBuilder();
        text.append("# kadshare node settings. Environment variables (shown per setting) override this file,\n")
                .append("# and command-line flags override both. Uncomment a line to change a setting.\n");
        for (Setting s : Setting.values()) {
            text.append('\n').append("# ").append(s.description()).append(" (env ").append(s.environmentVariable())
                    .append(")\n").append("#").append(s.key()).append('=').append(s.defaultValue()).append('\n');
        }
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW)) {
            out.write(text.toString());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        }
        return true;
    }

    private static java.util.List<java.net.InetSocketAddress> bootstrap(Sourced v) {
        try {
            return BootstrapAddress.parseList(v.value());
        } catch (IllegalArgumentException e) {
            throw invalid(v, e.getMessage());
        }
    }

    private static Encryption encryption(Sourced v) {
        try {
            return Encryption.parse(v.value());
        } catch (IllegalArgumentException e) {
            throw invalid(v, e.getMessage());
        }
    }

    private static ReachOptions reach(Sourced mode, Sourced gateway, Sourced lifetime) {
        String m = mode.value().toLowerCase(Locale.ROOT);
        List<MappingMethod> methods = switch (m) {
            case "auto", "on" -> ReachOptions.ALL_METHODS;
            case "pcp" -> List.of(MappingMethod.PCP);
            case "natpmp" -> List.of(MappingMethod.NAT_PMP);
            case "off" -> List.of();
            default -> throw invalid(mode, "expected auto, pcp, natpmp or off");
        };
        Optional<InetAddress> router = Optional.empty();
        if (!gateway.value().isBlank()) {
            try {
                router = Optional.of(InetAddress.getByName(gateway.value()));
            } catch (UnknownHostException e) {
                throw invalid(gateway, "not an address");
            }
        }
        long seconds;
        try {
            seconds = Long.parseLong(lifetime.value());
        } catch (NumberFormatException e) {
            throw invalid(lifetime, "expected a number of seconds");
        }
        try {
            return new ReachOptions(router, seconds, methods);
        } catch (IllegalArgumentException e) {
            throw invalid(lifetime, e.getMessage());
        }
    }

    private static int port(Sourced v) {
        try {
            int p = Integer.parseInt(v.value());
            if (p < 0 || p > 65535) {
                throw invalid(v, "a port is 0 to 65535");
            }
            return p;
        } catch (NumberFormatException e) {
            throw invalid(v, "not a port number");
        }
    }

    private static String bind(Sourced v) {
        if (v.value().isEmpty() || v.value().contains(" ")) {
            throw invalid(v, "not an address");
        }
        return v.value();
    }

    private static long size(Sourced v) {
        try {
            return ByteSize.parse(v.value());
        } catch (IllegalArgumentException e) {
            throw invalid(v, e.getMessage());
        }
    }

    private static int slots(Sourced v) {
        try {
            int n = Integer.parseInt(v.value());
            if (n < 1 || n > 1024) {
                throw invalid(v, "upload slots are 1 to 1024");
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(v, "not a number");
        }
    }

    private static boolean bool(Sourced v) {
        return switch (v.value().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw invalid(v, "expected true or false");
        };
    }

    private static String level(Sourced v) {
        String l = v.value().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(l)) {
            throw invalid(v, "levels are " + String.join(", ", new java.util.TreeSet<>(LEVELS)));
        }
        return l;
    }

    private static CliException invalid(Sourced v, String why) {
        return new CliException(ExitCode.USAGE, "invalid value '" + v.value() + "' from " + v.source() + ": " + why);
    }
}
