package org.kadshare.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The flags that override {@code config.properties} and the environment, for commands that run a node. */
final class SettingsOptions {
    @Option(names = "--port", paramLabel = "<port>", description = "UDP and TCP port (default 4870; env KADSHARE_PORT).")
    String port;

    @Option(names = "--bind", paramLabel = "<address>", description = "Bind address (default 0.0.0.0; env KADSHARE_BIND).")
    String bind;

    @Option(names = "--bootstrap", paramLabel = "<host[:port]>",
            description = "A node to join through; repeatable (env KADSHARE_BOOTSTRAP, comma-separated).")
    List<String> bootstrap = new ArrayList<>();

    @Option(names = "--cache-size", paramLabel = "<size>", description = "Hot-block cache size, e.g. 64MiB.")
    String cacheSize;

    @Option(names = "--upload-slots", paramLabel = "<n>", description = "Peers uploaded to at once.")
    String uploadSlots;

    @Option(names = "--upload-rate", paramLabel = "<bytes/s>", description = "Upload limit per second, 0 = none.")
    String uploadRate;

    @Option(names = "--encryption", paramLabel = "<mode>",
            description = "Block transfers in TLS: require, prefer (default) or refuse (env KADSHARE_ENCRYPTION).")
    String encryption;

    @Option(names = "--port-mapping", paramLabel = "<mode>",
            description = "Behind a NAT, ask the router to forward the ports: auto (default: PCP, else NAT-PMP,"
                    + " else UPnP-IGD), pcp, natpmp or off.")
    String portMapping;

    @Option(names = "--gateway", paramLabel = "<address>",
            description = "The router asked for port mappings (default: the default route's gateway).")
    String gateway;

    @Option(names = "--port-mapping-lifetime", paramLabel = "<seconds>",
            description = "Lifetime asked for each port mapping (default 7200).")
    String portMappingLifetime;

    @Option(names = "--log-level", paramLabel = "<level>", description = "Log level: error, warn, info, debug, trace.")
    String logLevel;

    @Option(names = "--log", paramLabel = "<subsystem=level>",
            description = "Level of one subsystem (dht, runtime, transfer, download, node, storage, control, cli); repeatable.")
    List<String> log = new ArrayList<>();

    Map<Setting, String> flags() {
        Map<Setting, String> f = new EnumMap<>(Setting.class);
        put(f, Setting.PORT, port);
        put(f, Setting.BIND, bind);
        if (!bootstrap.isEmpty()) {
            f.put(Setting.BOOTSTRAP, String.join(",", bootstrap));
        }
        put(f, Setting.CACHE_SIZE, cacheSize);
        put(f, Setting.UPLOAD_SLOTS, uploadSlots);
        put(f, Setting.UPLOAD_RATE, uploadRate);
        put(f, Setting.ENCRYPTION, encryption);
        put(f, Setting.PORT_MAPPING, portMapping);
        put(f, Setting.GATEWAY, gateway);
        put(f, Setting.PORT_MAPPING_LIFETIME, portMappingLifetime);
        put(f, Setting.LOG_LEVEL, logLevel);
        if (!log.isEmpty()) {
            f.put(Setting.LOG, String.join(",", log));
        }
        return f;
    }

    NodeSettings merge(Path dataDir) {
        return Configuration.merge(Configuration.load(dataDir), System.getenv(), flags());
    }

    private static void put(Map<Setting, String> f, Setting s, String v) {
        if (v != null) {
            f.put(s, v);
        }
    }
}
