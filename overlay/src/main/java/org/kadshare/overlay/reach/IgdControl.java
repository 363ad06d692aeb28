package org.kadshare.overlay.reach;

import java.io.IOException;
import java.util.Map;

/** Calls actions of the router's port-mapping service (a fake router in tests). */
interface IgdControl {
    /** The out arguments of {@code action} called with {@code arguments}; a SOAP fault is a {@link UpnpException}. */
    Map<String, String> call(String action, Map<String, String> arguments) throws IOException;

    /** The router, for messages. */
    String gateway();
}
