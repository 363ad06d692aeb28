package org.kadshare.overlay.reach;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The SOAP calls of a WANIPConnection / WANPPPConnection service (UPnP Device Architecture 1.1,
 * section 3.2): the request envelope with its arguments in order, and the answer's out
 * arguments or its fault's UPnP error code. Pure functions.
 */
final class IgdSoapCodec {
    private static final String ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/";

    private IgdSoapCodec() {
    }

    /** The {@code SOAPAction} header's value for {@code action}. */
    static String soapAction(String serviceType, String action) {
        return "\"" + serviceType + "#" + action + "\"";
    }

    /** The request body calling {@code action} with {@code arguments}, in their order. */
    static byte[] request(String serviceType, String action, Map<String, String> arguments) {
        StringBuilder b = new StringBuilder(512).append("<?xml version=\"1.0\"?>\r\n")
                .append("<s:Envelope xmlns:s=\"").append(ENVELOPE)
                .append("\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>")
                .append("<u:").append(action).append(" xmlns:u=\"").append(escape(serviceType)).append("\">");
        for (Map.Entry<String, String> a : arguments.entrySet()) {
            b.append('<').append(a.getKey()).append('>').append(escape(a.getValue()))
                    .append("</").append(a.getKey()).append('>');
        }
        b.append("</u:").append(action).append("></s:Body></s:Envelope>\r\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The out arguments of an answer to {@code action} (in document order); a fault is a
     * {@link UpnpException} with its UPnP error code and description.
     */
    static Map<String, String> response(byte[] xml, String action) throws UpnpException {
        Element root = SafeXml.parse(xml, "the answer to " + action).getDocumentElement();
        List<Element> faults = SafeXml.descendants(root, "Fault");
        if (!faults.isEmpty()) {
            List<Element> errors = SafeXml.descendants(faults.get(0), "UPnPError");
            if (errors.isEmpty()) {
                throw new UpnpException(action + " failed: " + SafeXml.childText(faults.get(0), "faultstring"));
            }
            String code = SafeXml.childText(errors.get(0), "errorCode");
            String description = SafeXml.childText(errors.get(0), "errorDescription");
            int errorCode;
            try {
                errorCode = Integer.parseInt(code);
            } catch (NumberFormatException e) {
                throw new UpnpException(action + " failed with the error code '" + code + "'");
            }
            throw new UpnpException(errorCode, action + " refused: " + errorCode
                    + (description.isEmpty() ? "" : " " + description) + meaning(errorCode));
        }
        List<Element> answers = SafeXml.descendants(root, action + "Response");
        if (answers.isEmpty()) {
            throw new UpnpException("the answer to " + action + " has no " + action + "Response");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Node n = answers.get(0).getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.put(e.getLocalName(), e.getTextContent().trim());
            }
        }
        return out;
    }

    private static String meaning(int errorCode) {
        return switch (errorCode) {
            case UpnpException.INVALID_ACTION, UpnpException.NOT_AUTHORIZED -> " (the router does not let this host map ports)";
            case UpnpException.CONFLICT_IN_MAPPING_ENTRY -> " (the external port is mapped to another host)";
            case UpnpException.ONLY_PERMANENT_LEASES_SUPPORTED -> " (the router takes only lease 0)";
            default -> "";
        };
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
