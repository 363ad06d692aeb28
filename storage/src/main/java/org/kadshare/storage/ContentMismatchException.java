package org.kadshare.storage;

import java.io.IOException;

/**
 * The whole-file check of a finished partial download failed: the data file on disk does not hash
 * to the content ID although every leaf had been verified when written (the file was damaged
 * behind the store's back). Nothing appeared at the destination; the damaged leaves are marked
 * missing again so they can be downloaded anew.
 */
public final class ContentMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    /** {@code message} names the content and what was found. */
    public ContentMismatchException(String message) {
        super(message);
    }
}
