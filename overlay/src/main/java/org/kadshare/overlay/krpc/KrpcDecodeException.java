package org.kadshare.overlay.krpc;

import java.util.Optional;

/**
 * A datagram is not a valid KRPC message. Carries what the core needs to answer it: the
 * transaction ID if one could be read, the BEP 5 error code to answer with
 * ({@link KrpcError#PROTOCOL} for malformed input, {@link KrpcError#METHOD_UNKNOWN} for an unknown
 * query method) and whether the datagram was a query. Only queries are answered, so a bad
 * response or error can never start a ping-pong of errors.
 */
public final class KrpcDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Longest message text sent back in an error reply. */
    static final int MAX_REPLY_MESSAGE_CHARS = 200;

    private final transient TransactionId transactionId;
    private final int errorCode;
    private final boolean query;

    KrpcDecodeException(String message, TransactionId transactionId, int errorCode, boolean query) {
        super(message);
        this.transactionId = transactionId;
        this.errorCode = errorCode;
        this.query = query;
    }

    KrpcDecodeException(String message, Throwable cause) {
        super(message, cause);
        this.transactionId = null;
        this.errorCode = KrpcError.PROTOCOL;
        this.query = false;
    }

    /** The "t" of the bad message, if it could be read. */
    public Optional<TransactionId> transactionId() {
        return Optional.ofNullable(transactionId);
    }

    /** The BEP 5 error code to answer with: 203 (protocol) or 204 (method unknown). */
    public int errorCode() {
        return errorCode;
    }

    /** Whether the bad message was a query ("y" = "q"). */
    public boolean isQuery() {
        return query;
    }

    /**
     * The error to send back, present only when the bad message was a query with a readable
     * transaction ID; its text is this exception's message, cut to 200 characters.
     */
    public Optional<KrpcError> reply(Optional<ClientVersion> version) {
        if (!query || transactionId == null) {
            return Optional.empty();
        }
        String text = getMessage();
        if (text.length() > MAX_REPLY_MESSAGE_CHARS) {
            text = text.substring(0, MAX_REPLY_MESSAGE_CHARS);
        }
        return Optional.of(new KrpcError(transactionId, errorCode, text, version));
    }
}
