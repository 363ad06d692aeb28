package org.kadshare.storage.internal;

import java.io.IOException;

/** A persisted record failed its checks (magic, checksum, bounds, or fields) and must not be trusted. */
public final class CorruptRecordException extends IOException {
    private static final long serialVersionUID = 1L;

    /** {@code message} names the record and what was wrong with it. */
    public CorruptRecordException(String message) {
        super(message);
    }
}
