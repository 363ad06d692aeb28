package org.kadshare.storage;

/** How {@link BlockStore#add} keeps a file's bytes. */
public enum AddMode {
    /** Serve the file from its original path; no second copy. Changes to it are detected. */
    REFERENCE,
    /** Copy the file into the store (atomically) and serve the copy. */
    COPY
}
