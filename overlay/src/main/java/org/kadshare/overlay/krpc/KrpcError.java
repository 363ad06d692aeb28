package org.kadshare.overlay.krpc;

import java.util.Optional;

/**
 * A KRPC error ("y" = "e"): on the wire {@code "e": [code, message]}. BEP 5 defines codes 201 to
 * 204; other implementations send other codes (BEP 44 uses 205 to 207, 301, 302), which decode
 * as they are.
 *
 * @param transactionId the "t" of the query answered
 * @param code          the error code, 0 or more
 * @param message       a human-readable message, sent as UTF-8
 * @param version       the top-level "v", if any
 */
public record KrpcError(TransactionId transactionId, int code, String message,
        Optional<ClientVersion> version) implements KrpcMessage {
    /** BEP 5: generic error. */
    public static final int GENERIC = 201;
    /** BEP 5: server error. */
    public static final int SERVER = 202;
    /** BEP 5: protocol error, such as a malformed packet, invalid arguments or a bad token. */
    public static final int PROTOCOL = 203;
    /** BEP 5: method unknown. */
    public static final int METHOD_UNKNOWN = 204;

    /** Checks presence and that the code is not negative. */
    public KrpcError {
        Checks.present("transaction ID", transactionId);
        Checks.present("message", message);
        Checks.optional("version", version);
        if (code < 0) {
            throw new IllegalArgumentException("an error code is 0 or more, got " + code);
        }
    }
}
