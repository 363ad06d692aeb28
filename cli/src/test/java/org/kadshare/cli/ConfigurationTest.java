package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.overlay.reach.MappingMethod;
import org.kadshare.overlay.transfer.tls.Encryption;

class ConfigurationTest {

    private static Properties file(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        NodeSettings s = Configuration.merge(new Properties(), Map.of(), Map.of());
        assertThat(s.port()).isEqualTo(4870);
        assertThat(s.bind()).isEqualTo("0.0.0.0");
        assertThat(s.bootstrap()).isEmpty();
        assertThat(s.cacheSizeBytes()).isEqualTo(64L << 20);
        assertThat(s.uploadSlots()).isEqualTo(8);
        assertThat(s.uploadBytesPerSecond()).isZero();
    }

    @Test
    void flagsBeatTheEnvironmentWhichBeatsTheFile() {
        Properties f = file("port", "1000", "upload.slots", "3", "cache.size", "1MiB");
        Map<String, String> env = Map.of("KADSHARE_PORT", "2000", "KADSHARE_UPLOAD_SLOTS", "4");
        NodeSettings s = Configuration.merge(f, env, Map.of(Setting.PORT, "3000"));
        assertThat(s.port()).isEqualTo(3000);
        assertThat(s.uploadSlots()).isEqualTo(4);
        assertThat(s.cacheSizeBytes()).isEqualTo(1L << 20);
    }

    @Test
    void bootstrapListsAcceptCommasSpacesDefaultPortsAndIpv6() {
        NodeSettings s = Configuration.merge(file("bootstrap", "a.example:1, 10.0.0.1  [::1]:7"), Map.of(), Map.of());
        assertThat(s.bootstrap()).containsExactly(InetSocketAddress.createUnresolved("a.example", 1),
                InetSocketAddress.createUnresolved("10.0.0.1", 4870), InetSocketAddress.createUnresolved("::1", 7));
    }

    @Test
    void encryptionIsPreferredByDefaultAndCanBeRequiredOrRefused() {
        assertThat(Configuration.merge(new Properties(), Map.of(), Map.of()).encryption())
                .isEqualTo(Encryption.PREFER);
        assertThat(Configuration.merge(file("encryption", "require"), Map.of(), Map.of()).encryption())
                .isEqualTo(Encryption.REQUIRE);
        assertThat(Configuration.merge(new Properties(), Map.of("KADSHARE_ENCRYPTION", "require"),
                Map.of(Setting.ENCRYPTION, "REFUSE")).encryption()).isEqualTo(Encryption.REFUSE);
        assertThatThrownBy(() -> Configuration.merge(new Properties(), Map.of(), Map.of(Setting.ENCRYPTION, "maybe")))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("--encryption").hasMessageContaining("require, prefer or refuse");
    }

    @Test
    void portMappingTriesPcpThenNatPmpThenUpnpIgdByDefaultAndOneMethodOrNothingWhenSet() {
        NodeSettings auto = Configuration.merge(new Properties(), Map.of(), Map.of());
        assertThat(auto.reach().mapPorts()).isTrue();
        assertThat(auto.reach().methods()).containsExactly(MappingMethod.PCP, MappingMethod.NAT_PMP,
                MappingMethod.UPNP_IGD);
        NodeSettings pcp = Configuration.merge(file("port.mapping", "pcp"), Map.of(), Map.of());
        assertThat(pcp.reach().methods()).containsExactly(MappingMethod.PCP);
        NodeSettings natPmp = Configuration.merge(file("port.mapping", "natpmp"), Map.of(), Map.of());
        assertThat(natPmp.reach().methods()).containsExactly(MappingMethod.NAT_PMP);
        NodeSettings off = Configuration.merge(new Properties(), Map.of(), Map.of(Setting.PORT_MAPPING, "off"));
        assertThat(off.reach().mapPorts()).isFalse();
        assertThat(off.reach().methods()).isEmpty();
        assertThatThrownBy(() -> Configuration.merge(file("port.mapping", "upnp"), Map.of(), Map.of()))
                .hasMessageContaining("expected auto, pcp, natpmp or off");
    }

    @Test
    void aBadValueIsAUsageErrorNamingWhereItCameFrom() {
        assertThatThrownBy(() -> Configuration.merge(new Properties(), Map.of("KADSHARE_PORT", "http"), Map.of()))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).contains("KADSHARE_PORT").contains("'http'");
                });
        assertThatThrownBy(() -> Configuration.merge(file("cache.size", "lots"), Map.of(), Map.of()))
                .hasMessageContaining("config.properties (cache.size)");
        assertThatThrownBy(() -> Configuration.merge(file("bootstrap", "host:99999"), Map.of(), Map.of()))
                .hasMessageContaining("port out of range");
    }

    @Test
    void downloadsWriteAroundThePageCacheUnlessTheSettingOrItsVariableSaysFalse() {
        assertThat(Configuration.merge(new Properties(), Map.of(), Map.of()).directWrites()).isTrue();
        assertThat(Configuration.merge(file("download.direct.writes", "false"), Map.of(), Map.of()).directWrites())
                .isFalse();
        assertThat(Configuration.merge(new Properties(), Map.of("KADSHARE_DOWNLOAD_DIRECT_WRITES", "off"), Map.of())
                .directWrites()).isFalse();
        assertThatThrownBy(() -> Configuration.merge(file("download.direct.writes", "sometimes"), Map.of(), Map.of()))
                .hasMessageContaining("download.direct.writes").hasMessageContaining("true or false");
    }

    @Test
    void localAddressesAreExemptFromTheDhtSubnetLimitUnlessTheSettingSaysFalse() {
        assertThat(Configuration.merge(new Properties(), Map.of(), Map.of()).localExempt()).isTrue();
        assertThat(Configuration.merge(file("dht.local.exempt", "false"), Map.of(), Map.of()).localExempt()).isFalse();
        assertThat(Configuration.merge(new Properties(), Map.of("KADSHARE_DHT_LOCAL_EXEMPT", "no"), Map.of())
                .localExempt()).isFalse();
        assertThatThrownBy(() -> Configuration.merge(file("dht.local.exempt", "maybe"), Map.of(), Map.of()))
                .hasMessageContaining("config.properties (dht.local.exempt)").hasMessageContaining("true or false");
    }

    @Test
    void subsystemLogLevelsComeFromTheFileAndFlags() {
        NodeSettings s = Configuration.merge(file("log.dht", "debug", "log.level", "warn"), Map.of(),
                Map.of(Setting.LOG, "transfer=trace"));
        assertThat(s.logLevel()).isEqualTo("warn");
        assertThat(s.logLevels()).containsEntry("dht", "debug").containsEntry("transfer", "trace");
        assertThatThrownBy(() -> Configuration.merge(new Properties(), Map.of(), Map.of(Setting.LOG, "dht=loud")))
                .hasMessageContaining("levels are");
    }

    @Test
    void theDefaultFileListsEverySettingCommentedOutAndLoadsAsDefaults(@TempDir Path dir) throws Exception {
        assertThat(Configuration.writeDefaultsIfAbsent(dir)).isTrue();
        assertThat(Configuration.writeDefaultsIfAbsent(dir)).isFalse();
        String text = Files.readString(dir.resolve(Configuration.FILE_NAME));
        for (Setting s : Setting.values()) {
            assertThat(text).contains("#" + s.key() + "=" + s.defaultValue()).contains(s.environmentVariable());
        }
        assertThat(Configuration.load(dir)).isEmpty();
    }

    @Test
    void sizesAndDurationsReadTheUnitsPeopleWrite() {
        assertThat(ByteSize.parse("65536")).isEqualTo(65536);
        assertThat(ByteSize.parse("64k")).isEqualTo(64 << 10);
        assertThat(ByteSize.parse("2 GiB")).isEqualTo(2L << 30);
        assertThatThrownBy(() -> ByteSize.parse("1x")).hasMessageContaining("unit");
        assertThat(Durations.parseMillis("500ms")).isEqualTo(500);
        assertThat(Durations.parseMillis("30")).isEqualTo(30_000);
        assertThat(Durations.parseMillis("2m")).isEqualTo(120_000);
        assertThatThrownBy(() -> Durations.parseMillis("soon")).isInstanceOf(CliException.class);
    }
}
