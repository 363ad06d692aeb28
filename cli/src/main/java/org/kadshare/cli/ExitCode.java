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
    /** A {@code get} ran out of time ({@code --timeout}) before the content was complete. */
    static final int TIMEOUT = 10;
    /** The network could not be reached: no bootstrap node answered, every holder failed. */
    static final int NETWORK = 11;
    /** The destination of a {@code get} exists already or cannot be written. */
    static final int DESTINATION = 12;
    /** Another node is already running on this data directory. */
    static final int ALREADY_RUNNING = 13;
    /** The port (UDP or TCP) a node should listen on is taken. */
    static final int PORT_IN_USE = 14;
    /** The command needs a running node and none runs on this data directory. */
    static final int NO_NODE = 15;
    /** A transfer's state does not allow what was asked (pausing a finished download, a second download of one ID). */
    static final int CONFLICT = 16;
    /** Interrupted (Ctrl-C) before finishing; a partial download is kept for a resume. */
    static final int INTERRUPTED = 130;

    private ExitCode() {
    }

    /** A short name for a code, as the control API reports it. */
    static String name(int code) {
        return switch (code) {
            case OK -> "ok";
            case INTERNAL -> "internal";
            case USAGE -> "usage";
            case NO_SUCH_FILE -> "no_such_file";
            case NOT_A_FILE -> "not_a_file";
            case PERMISSION -> "permission";
            case DISK_FULL -> "disk_full";
            case IO -> "io";
            case VERIFICATION -> "verification";
            case NOT_FOUND -> "not_found";
            case TIMEOUT -> "timeout";
            case NETWORK -> "network";
            case DESTINATION -> "destination";
            case ALREADY_RUNNING -> "already_running";
            case PORT_IN_USE -> "port_in_use";
            case NO_NODE -> "no_node";
            case CONFLICT -> "conflict";
            case INTERRUPTED -> "interrupted";
            default -> "error";
        };
    }
}
