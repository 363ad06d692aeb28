package org.kadshare.cli;

import java.util.Locale;

/**
 * Every tunable of a node: its key in {@code config.properties}, the environment variable that
 * overrides the file, its default and what it means. Flags override both.
 */
enum Setting {
    PORT("port", "4870", "UDP (DHT) and TCP (block transfer) port; 0 = any free port"),
    BIND("bind", "0.0.0.0", "address both sockets bind to"),
    BOOTSTRAP("bootstrap", "", "nodes to join through: host[:port], separated by commas or spaces"),
    CACHE_SIZE("cache.size", "64MiB", "hot-block cache bound (bytes; suffixes k, M, G, KiB, MiB, GiB)"),
    UPLOAD_SLOTS("upload.slots", "8", "peers uploaded to at once"),
    UPLOAD_RATE("upload.rate", "0", "upload limit in bytes per second (suffixes as above); 0 = unlimited"),
    DHT_LOCAL_EXEMPT("dht.local.exempt", "true", "whether loopback and private addresses are exempt from the limit"
            + " of 2 DHT contacts per /24 and /16 trusted together (false holds them to it too)"),
    DOWNLOAD_DIRECT_WRITES("download.direct.writes", "true", "whether downloads write their verified data around "
            + "the page cache (O_DIRECT, where the file system takes it): less CPU per byte; false writes through the "
            + "page cache, for disks where that is faster"),
    ENCRYPTION("encryption", "prefer", "block transfers in TLS 1.3: require (never clear), prefer (TLS when the "
            + "peer speaks it) or refuse (always clear)"),
    PORT_MAPPING("port.mapping", "auto", "behind a NAT (peers see another address), ask the router to forward the "
            + "ports: auto (PCP, or NAT-PMP when the router does not speak PCP, or UPnP-IGD when it answers neither),"
            + " pcp (PCP only), natpmp (NAT-PMP only) or off"),
    GATEWAY("gateway", "", "the router asked for port mappings; empty = the default route's gateway"),
    PORT_MAPPING_LIFETIME("port.mapping.lifetime", "7200", "seconds a port mapping is asked for (renewed at half "
            + "of what the router grants)"),
    LOG_LEVEL("log.level", "info", "log level of a running node (error, warn, info, debug, trace)"),
    LOG("log", "", "per-subsystem levels, e.g. dht=debug,transfer=info (subsystems: dht, transfer, "
            + "download, node, storage, control, cli; or any logger name)");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    String key() {
        return key;
    }

    String defaultValue() {
        return defaultValue;
    }

    String description() {
        return description;
    }

    String environmentVariable() {
        return "KADSHARE_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }
}
