package org.kadshare.overlay.reach;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * HTTP to a router's UPnP-IGD: the device description (GET) and SOAP calls (POST) to its
 * control URL, through the JDK's client, HTTP/1.1, no redirects, each exchange bounded in time
 * ({@link #TIMEOUT}) and its body in size ({@link SafeXml#MAX_BYTES}: a longer one is an error,
 * not read further). A SOAP fault comes with status 500 and is read like an answer.
 */
final class IgdHttp implements IgdControl {
    /** Longest wait for a connection, and for a whole answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient client;
    private final IgdService service;

    IgdHttp(HttpClient client, IgdService service) {
        this.client = client;
        this.service = service;
    }

    /** A client for the router's HTTP: HTTP/1.1 only, no redirects, {@link #TIMEOUT} to connect. */
    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(TIMEOUT).build();
    }

    /** The device description at {@code location}. */
    static byte[] description(HttpClient client, URI location) throws IOException {
        HttpRequest get = HttpRequest.newBuilder(location).timeout(TIMEOUT).GET().build();
        return body(client, get, "the device description at " + location, false);
    }

    @Override
    public Map<String, String> call(String action, Map<String, String> arguments) throws IOException {
        HttpRequest post = HttpRequest.newBuilder(service.controlUrl()).timeout(TIMEOUT)
                .header("Content-Type", "text/xml; charset=\"utf-8\"")
                .header("SOAPAction", IgdSoapCodec.soapAction(service.serviceType(), action))
                .POST(HttpRequest.BodyPublishers.ofByteArray(IgdSoapCodec.request(service.serviceType(), action,
                        arguments)))
                .build();
        return IgdSoapCodec.response(body(client, post, "the answer to " + action, true), action);
    }

    @Override
    public String gateway() {
        return service.controlUrl().getHost();
    }

    private static byte[] body(HttpClient client, HttpRequest request, String what, boolean faultsAllowed)
            throws IOException {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new UpnpException(what + ": no answer within " + TIMEOUT.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpnpException(what + ": interrupted");
        } catch (IOException e) {
            throw new UpnpException(what + ": " + e);
        }
        int status = response.statusCode();
        try (InputStream in = response.body()) {
            if (status == 401 || status == 403) {
                throw new UpnpException(UpnpException.NOT_AUTHORIZED, what + ": HTTP " + status
                        + " (the router does not let this host map ports)");
            }
            if (status != 200 && !(faultsAllowed && status == 500)) {
                throw new UpnpException(what + ": HTTP " + status);
            }
            byte[] bytes = in.readNBytes(SafeXml.MAX_BYTES + 1);
            if (bytes.length > SafeXml.MAX_BYTES) {
                throw new UpnpException(what + " is longer than " + SafeXml.MAX_BYTES + " bytes");
            }
            return bytes;
        }
    }
}
