package org.kadshare.bencode;

/**
 * Input is not a valid bencoding within the given limits, or a decoded value does not have the
 * shape a caller required (a missing key, a value of the wrong type). The message names what broke
 * and, for decoding errors, the byte offset where it broke.
 */
public final class BencodeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that names what broke. */
    public BencodeException(String message) {
        super(message);
    }

    /** Creates an exception with a message that names what broke and its cause. */
    public BencodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
