package org.kadshare.cli.control;

/** JSON that cannot be read or a value that cannot be written; the message names what broke. */
public final class JsonException extends IllegalArgumentException {
    public JsonException(String message) {
        super(message);
    }
}
