package org.kadshare.storage;

/**
 * Bytes are not a valid, correctly signed manifest. The message names what is wrong: the
 * encoding, a field, or the signature.
 */
public final class ManifestException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that names what broke. */
    public ManifestException(String message) {
        super(message);
    }

    /** Creates an exception with a message that names what broke and its cause. */
    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
