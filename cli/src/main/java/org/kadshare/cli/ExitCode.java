package org.kadshare.cli;

/**
 * The exit codes of the {@code node} program. Each failure a script may want to tell apart has
 * its own code; the table is repeated in the README.
 */
final class ExitCode {
    static final int OK = 0;
    /** An unexpected internal error (a bug): the message names the exception. */
    static final int INTERNAL = 1;
    /** Bad command line: unknown option, missing argument, malformed hash. */
    static final int USAGE = 2;
    /** The input path does not exist. */
    static final int NO_SUCH_FILE = 3;
    /** The input path exists but is not a regular file (a directory, a device). */
    static final int NOT_A_FILE = 4;
    /** The input file or the data directory cannot be read or written for lack of permission. */
    static final int PERMISSION = 5;
    /** The disk filled up; nothing half-written was kept as if complete. */
    static final int DISK_FULL = 6;
    /** Any other I/O error. */
    static final int IO = 7;
    /** Data or a signature failed verification (a tampered manifest, a corrupt key file). */
    static final int VERIFICATION = 8;
    /** The requested content is not known. */
    static final int NOT_FOUND = 9;

    private ExitCode() {
    }
}
