package org.kadshare.overlay.reach;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A router's UPnP-IGD on loopback, over real sockets: it answers SSDP searches on a UDP port of
 * its address that the system assigns ({@link #ssdpPort()}: 1900 on a real router), serves a device description and a WANIPConnection:1 control URL over HTTP,
 * and keeps the mappings it grants. It can be told to take only permanent leases (725), to have
 * ports mapped to another host (718), or to refuse everything (606).
 */
final class FakeIgd implements AutoCloseable {
    static final String EXTERNAL_ADDRESS = "203.0.113.9";
    private static final String SERVICE = "urn:schemas-upnp-org:service:WANIPConnection:1";

    private final InetAddress address;
    private final DatagramSocket ssdp;
    private final HttpServer http;
    private final Thread ssdpThread;
    /** What the IGD holds: "TCP 4870" -> "127.0.0.1:4870 lease 60". */
    final Map<String, String> mappings = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Every SOAP call, as "Action arg=value ...". */
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    /** External ports (as "TCP 4870") mapped to another host: asking for them is 718. */
    final Set<String> takenByAnotherHost = Collections.synchronizedSet(new HashSet<>());
    volatile boolean permanentOnly;
    volatile boolean refuse;

    FakeIgd(InetAddress address) throws IOException {
        this.address = address;
        http = HttpServer.create(new InetSocketAddress(address, 0), 8);
        http.createContext("/rootDesc.xml", this::description);
        http.createContext("/ctl/IPConn", this::control);
        http.start();
        ssdp = new DatagramSocket(new InetSocketAddress(address, 0));
        ssdp.setSoTimeout(200);
        ssdpThread = new Thread(this::answerSearches, "fake-igd-ssdp");
        ssdpThread.setDaemon(true);
        ssdpThread.start();
    }

    /** The port it answers SSDP searches on. */
    int ssdpPort() {
        return ssdp.getLocalPort();
    }

    private void answerSearches() {
        byte[] buffer = new byte[2048];
        while (!ssdp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                ssdp.receive(p);
                String search = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
                if (search.startsWith("M-SEARCH") && search.contains("InternetGatewayDevice:1")) {
                    byte[] answer = ("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\n"
                            + "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                            + "USN: uuid:fake::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nEXT:\r\n"
                            + "LOCATION: http://" + address.getHostAddress() + ":" + http.getAddress().getPort()
                            + "/rootDesc.xml\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                    ssdp.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                }
            } catch (SocketTimeoutException e) {
                // look at isClosed again
            } catch (IOException e) {
                return;
            }
        }
    }

    private void description(HttpExchange x) throws IOException {
        String xml = "<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device>"
                + "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><deviceList><device>"
                + "<deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType><deviceList><device>"
                + "<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType><serviceList><service>"
                + "<serviceType>" + SERVICE + "</serviceType><serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>"
                + "<controlURL>/ctl/IPConn</controlURL><eventSubURL>/evt/IPConn</eventSubURL><SCPDURL>/WANIPCn.xml"
                + "</SCPDURL></service></serviceList></device></deviceList></device></deviceList></device></root>";
        reply(x, 200, xml);
    }

    private void control(HttpExchange x) throws IOException {
        String action = x.getRequestHeaders().getFirst("SOAPAction").replace("\"", "").replace(SERVICE + "#", "");
        Map<String, String> args = new LinkedHashMap<>();
        try {
            Element body = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(x.getRequestBody().readAllBytes())).getDocumentElement()
                    .getFirstChild();
            for (Node n = body.getFirstChild().getFirstChild(); n != null; n = n.getNextSibling()) {
                args.put(n.getNodeName(), n.getTextContent());
            }
        } catch (Exception e) {
            reply(x, 400, "bad request");
            return;
        }
        StringBuilder call = new StringBuilder(action);
        args.forEach((k, v) -> call.append(' ').append(k.replace("New", "")).append('=').append(v));
        calls.add(call.toString());
        if (refuse) {
            fault(x, 606, "Action not authorized");
            return;
        }
        switch (action) {
            case "GetExternalIPAddress" -> answer(x, action, "<NewExternalIPAddress>" + EXTERNAL_ADDRESS
                    + "</NewExternalIPAddress>");
            case "AddPortMapping" -> {
                String key = args.get("NewProtocol") + " " + args.get("NewExternalPort");
                if (permanentOnly && !args.get("NewLeaseDuration").equals("0")) {
                    fault(x, 725, "OnlyPermanentLeasesSupported");
                } else if (takenByAnotherHost.contains(key)) {
                    fault(x, 718, "ConflictInMappingEntry");
                } else {
                    mappings.put(key, args.get("NewInternalClient") + ":" + args.get("NewInternalPort") + " lease "
                            + args.get("NewLeaseDuration"));
                    answer(x, action, "");
                }
            }
            case "DeletePortMapping" -> {
                mappings.remove(args.get("NewProtocol") + " " + args.get("NewExternalPort"));
                answer(x, action, "");
            }
            default -> fault(x, 401, "Invalid Action");
        }
    }

    private static void answer(HttpExchange x, String action, String out) throws IOException {
        reply(x, 200, "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<s:Body><u:" + action + "Response xmlns:u=\"" + SERVICE + "\">" + out + "</u:" + action
                + "Response></s:Body></s:Envelope>");
    }

    private static void fault(HttpExchange x, int code, String description) throws IOException {
        reply(x, 500, "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail>"
                + "<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>" + code + "</errorCode>"
                + "<errorDescription>" + description + "</errorDescription></UPnPError></detail></s:Fault></s:Body>"
                + "</s:Envelope>");
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/xml; charset=\"utf-8\"");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    /** Stops both servers and waits for the SSDP thread: only then is its port free for the next test. */
    @Override
    public void close() throws InterruptedException {
        ssdp.close();
        http.stop(0);
        ssdpThread.join(5_000);
    }
}
