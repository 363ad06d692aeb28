package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressViewTest {

    @Test
    void aLineShowsPhaseBarPercentBytesRateEtaAndPeers() {
        String line = ProgressView.line("DOWNLOADING", 512 << 10, 1 << 20, 256 << 10, 2_000, 3);
        assertThat(line).startsWith("downloading").contains("[############............]").contains(" 50%")
                .contains("512.0 KiB / 1.0 MiB").contains("256.0 KiB/s").contains("ETA 0:02").endsWith("3 peers");
    }

    @Test
    void anUnknownRateShowsNoEtaAndOnePeerIsSingular() {
        assertThat(ProgressView.line("CONNECTING", 0, 100, 0, -1, 1)).contains("ETA --:--").endsWith("1 peer");
    }

    @Test
    void longEtasShowHoursAndAnEmptyFileIsComplete() {
        assertThat(ProgressView.eta(3_723_000)).isEqualTo("1:02:03");
        assertThat(ProgressView.line("VERIFYING", 0, 0, 0, 0, 0)).contains("100%");
    }

    @Test
    void aLengthNoHolderHasProvenYetShowsAsUnknown() {
        assertThat(ProgressView.line("CONNECTING", 0, -1, 0, -1, 1)).contains("[........................]")
                .contains("  ?%").contains("0 B / ?");
    }
}
