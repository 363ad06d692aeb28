package org.kadshare.overlay.reach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SSDP answers, device descriptions and SOAP envelopes as the network may send them, good and hostile. */
class IgdCodecTest {
    private static final URI LOCATION = URI.create("http://192.168.51.1:5000/rootDesc.xml");

    private static byte[] description(String urlBase, String services) {
        return ("<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\">" + urlBase
                + "<device><deviceList><device><serviceList>" + services
                + "</serviceList></device></deviceList></device></root>").getBytes(StandardCharsets.UTF_8);
    }

    private static String service(String type, String control) {
        return "<service><serviceType>" + type + "</serviceType><controlURL>" + control + "</controlURL></service>";
    }

    @Test
    void theWanIpConnectionServiceIsFoundAtAnyDepthAndItsControlUrlResolvedAgainstTheLocation() throws Exception {
        IgdService s = IgdDescription.mappingService(description("", service(
                "urn:schemas-upnp-org:service:Layer3Forwarding:1", "/ctl/L3F")
                + service("urn:schemas-upnp-org:service:WANIPConnection:1", "/ctl/IPConn")), LOCATION);
        assertThat(s).isEqualTo(new IgdService("urn:schemas-upnp-org:service:WANIPConnection:1",
                URI.create("http://192.168.51.1:5000/ctl/IPConn")));
    }

    @Test
    void urlBaseIsHonouredAndWanPppConnectionServesWhenThereIsNoWanIpConnection() throws Exception {
        IgdService s = IgdDescription.mappingService(description("<URLBase>http://192.168.51.1:49000/</URLBase>",
                service("urn:schemas-upnp-org:service:WANPPPConnection:1", "upnp/control/WANPPPConn1")), LOCATION);
        assertThat(s.controlUrl()).isEqualTo(URI.create("http://192.168.51.1:49000/upnp/control/WANPPPConn1"));
        assertThat(s.serviceType()).endsWith("WANPPPConnection:1");
    }

    @Test
    void aDescriptionThatSendsTheCallsToAnotherHostIsRejected() {
        assertThatThrownBy(() -> IgdDescription.mappingService(description("", service(
                "urn:schemas-upnp-org:service:WANIPConnection:1", "http://10.9.9.9/ctl")), LOCATION))
                .isInstanceOf(UpnpException.class).hasMessageContaining("on another host");
    }

    @Test
    void aDescriptionWithoutAMappingServiceSaysSo() {
        assertThatThrownBy(() -> IgdDescription.mappingService(description("", service(
                "urn:schemas-upnp-org:service:Layer3Forwarding:1", "/ctl/L3F")), LOCATION))
                .hasMessageContaining("has no WANIPConnection or WANPPPConnection service");
    }

    @Test
    void aDocumentWithADoctypeIsRefusedSoNoEntityIsExpandedOrFetched() {
        byte[] xxe = ("<?xml version=\"1.0\"?><!DOCTYPE root [<!ENTITY e SYSTEM \"file:///etc/hostname\">]>"
                + "<root><URLBase>&e;</URLBase></root>").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> IgdDescription.mappingService(xxe, LOCATION)).isInstanceOf(UpnpException.class)
                .hasMessageContaining("not acceptable XML").hasMessageContaining("DOCTYPE");
        byte[] bomb = ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
                + "<r>&b;</r>").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> IgdSoapCodec.response(bomb, "GetExternalIPAddress"))
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void aDocumentOverTheSizeLimitIsRefusedUnparsedAndOneAtTheLimitIsRead() throws Exception {
        String padding = "<!--" + "x".repeat(SafeXml.MAX_BYTES) + "-->";
        byte[] tooLong = description("", service("urn:schemas-upnp-org:service:WANIPConnection:1", "/c") + padding);
        assertThatThrownBy(() -> IgdDescription.mappingService(tooLong, LOCATION))
                .hasMessageContaining("over the limit of " + SafeXml.MAX_BYTES);
        byte[] small = description("", service("urn:schemas-upnp-org:service:WANIPConnection:1", "/c"));
        String fill = "<!--" + "x".repeat(SafeXml.MAX_BYTES - small.length - 7) + "-->";
        byte[] atLimit = description("", service("urn:schemas-upnp-org:service:WANIPConnection:1", "/c") + fill);
        assertThat(atLimit).hasSize(SafeXml.MAX_BYTES);
        assertThat(IgdDescription.mappingService(atLimit, LOCATION).controlUrl().getPath()).isEqualTo("/c");
    }

    @Test
    void aRequestNamesTheActionAndCarriesItsArgumentsInOrderEscaped() {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("NewExternalPort", "4870");
        args.put("NewPortMappingDescription", "a<b&c");
        String body = new String(IgdSoapCodec.request("urn:schemas-upnp-org:service:WANIPConnection:1",
                "AddPortMapping", args), StandardCharsets.UTF_8);
        assertThat(body).contains("<u:AddPortMapping xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">"
                + "<NewExternalPort>4870</NewExternalPort><NewPortMappingDescription>a&lt;b&amp;c"
                + "</NewPortMappingDescription></u:AddPortMapping>");
        assertThat(IgdSoapCodec.soapAction("urn:schemas-upnp-org:service:WANIPConnection:1", "AddPortMapping"))
                .isEqualTo("\"urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping\"");
    }

    @Test
    void anAnswerGivesItsOutArgumentsAndAFaultItsUpnpErrorCode() throws Exception {
        byte[] answer = ("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
                + "<u:GetExternalIPAddressResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">"
                + "<NewExternalIPAddress> 11.77.5.1 </NewExternalIPAddress></u:GetExternalIPAddressResponse>"
                + "</s:Body></s:Envelope>").getBytes(StandardCharsets.UTF_8);
        assertThat(IgdSoapCodec.response(answer, "GetExternalIPAddress"))
                .containsExactly(Map.entry("NewExternalIPAddress", "11.77.5.1"));
        byte[] fault = ("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
                + "<faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail>"
                + "<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>718</errorCode>"
                + "<errorDescription>ConflictInMappingEntry</errorDescription></UPnPError></detail></s:Fault>"
                + "</s:Body></s:Envelope>").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> IgdSoapCodec.response(fault, "AddPortMapping")).isInstanceOf(UpnpException.class)
                .hasMessage("AddPortMapping refused: 718 ConflictInMappingEntry (the external port is mapped to"
                        + " another host)")
                .matches(e -> ((UpnpException) e).errorCode() == 718);
        assertThatThrownBy(() -> IgdSoapCodec.response("<a>".getBytes(StandardCharsets.UTF_8), "AddPortMapping"))
                .hasMessageContaining("not acceptable XML");
    }

    @Test
    void anSsdpAnswerCountsOnlyForAGatewayTypeAndALocationOnTheResponderItself() throws Exception {
        InetAddress router = InetAddress.getByName("192.168.51.1");
        String ok = "HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                + "Location: http://192.168.51.1:5000/rootDesc.xml\r\n\r\n";
        assertThat(locate(ok, router)).contains(LOCATION);
        assertThat(locate(ok.replace("192.168.51.1:5000", "10.0.0.9:5000"), router)).as("elsewhere").isEmpty();
        assertThat(locate(ok.replace("192.168.51.1:5000", "router.example:5000"), router)).as("a name").isEmpty();
        assertThat(locate(ok.replace("InternetGatewayDevice", "MediaServer"), router)).as("not a gateway").isEmpty();
        assertThat(locate(ok.replace("200 OK", "404 Not Found"), router)).isEmpty();
        assertThat(locate(ok.replace("http://", "file://"), router)).isEmpty();
        assertThat(new String(SsdpCodec.search(SsdpCodec.GATEWAY_TYPES.get(1), 1), StandardCharsets.US_ASCII))
                .startsWith("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n")
                .endsWith("ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n");
    }

    private static java.util.Optional<URI> locate(String answer, InetAddress from) {
        byte[] b = answer.getBytes(StandardCharsets.US_ASCII);
        return SsdpCodec.gatewayLocation(b, b.length, from);
    }
}
