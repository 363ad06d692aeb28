package org.kadshare.overlay.transfer.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private static InetAddress ip(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    @Test
    void oneAddressIsStoppedAtItsLimitWhileOthersAreStillAdmitted() throws Exception {
        Admission admission = new Admission(10, 2);
        assertThat(admission.admit(ip("10.0.0.1"))).isNull();
        assertThat(admission.admit(ip("10.0.0.1"))).isNull();
        assertThat(admission.admit(ip("10.0.0.1"))).contains("10.0.0.1", "per address");
        assertThat(admission.admit(ip("10.0.0.2"))).isNull();
        admission.release(ip("10.0.0.1"));
        assertThat(admission.admit(ip("10.0.0.1"))).isNull();
        assertThat(admission.total()).isEqualTo(3);
    }

    @Test
    void theTotalLimitStopsEveryAddressAndAReleaseMakesRoom() throws Exception {
        Admission admission = new Admission(2, 2);
        assertThat(admission.admit(ip("10.0.0.1"))).isNull();
        assertThat(admission.admit(ip("10.0.0.2"))).isNull();
        assertThat(admission.admit(ip("10.0.0.3"))).contains("2 connections open");
        admission.release(ip("10.0.0.2"));
        assertThat(admission.admit(ip("10.0.0.3"))).isNull();
    }
}
