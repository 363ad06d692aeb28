package org.kadshare.overlay.reach;

import java.io.IOException;

/**
 * A UPnP-IGD exchange failed: no device found, an answer too large, malformed or late, or a SOAP
 * fault, whose UPnP error code {@link #errorCode()} gives (-1 for every other failure).
 */
final class UpnpException extends IOException {
    private static final long serialVersionUID = 1L;
    /** Fault codes the mapper acts on (UPnP IGD WANIPConnection:1 and :2, section 2.4.16). */
    static final int INVALID_ACTION = 401;
    static final int NOT_AUTHORIZED = 606;
    static final int CONFLICT_IN_MAPPING_ENTRY = 718;
    static final int ONLY_PERMANENT_LEASES_SUPPORTED = 725;

    private final int errorCode;

    UpnpException(String message) {
        this(-1, message);
    }

    UpnpException(int errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    /** The UPnP error code of a SOAP fault, or -1. */
    int errorCode() {
        return errorCode;
    }
}
