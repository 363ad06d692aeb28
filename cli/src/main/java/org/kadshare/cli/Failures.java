package org.kadshare.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.kadshare.overlay.node.GetFailedException;
import org.kadshare.overlay.node.TransferRefusedException;
import org.kadshare.storage.ContentChangedException;
import org.kadshare.storage.ContentMismatchException;
import org.kadshare.storage.ManifestException;
import org.kadshare.storage.StorageFullException;

/**
 * Turns any exception a command lets escape into an exit code and a one-line message. A
 * {@link CliException} already carries both; everything else is classified by type, and what
 * cannot be classified is an internal error.
 */
final class Failures {
    record Failure(int exitCode, String message) {
    }

    private Failures() {
    }

    static Failure classify(Throwable t) {
        if ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            return classify(t.getCause());
        }
        if (t instanceof GetFailedException g) {
            return new Failure(switch (g.reason()) {
                case NOT_FOUND -> ExitCode.NOT_FOUND;
                case TIMEOUT -> ExitCode.TIMEOUT;
                case NETWORK -> ExitCode.NETWORK;
                case VERIFICATION -> ExitCode.VERIFICATION;
                case DESTINATION -> ExitCode.DESTINATION;
                case DISK_FULL -> ExitCode.DISK_FULL;
                case CANCELLED -> ExitCode.INTERRUPTED;
            }, g.getMessage());
        }
        if (t instanceof TransferRefusedException r) {
            return new Failure(r.kind() == TransferRefusedException.Kind.CONFLICT ? ExitCode.CONFLICT
                    : ExitCode.NOT_FOUND, r.getMessage());
        }
        if (t instanceof java.util.concurrent.TimeoutException) {
            return new Failure(ExitCode.TIMEOUT, "timed out" + (t.getMessage() == null ? "" : ": " + t.getMessage()));
        }
        if (t instanceof java.net.BindException e) {
            return new Failure(ExitCode.PORT_IN_USE, "address already in use: " + e.getMessage());
        }
        if (t instanceof CliException c) {
            return new Failure(c.exitCode(), c.getMessage());
        }
        if (t instanceof StorageFullException e) {
            return new Failure(ExitCode.DISK_FULL, e.getMessage());
        }
        if (t instanceof ManifestException e) {
            return new Failure(ExitCode.VERIFICATION, "manifest failed verification: " + e.getMessage());
        }
        if (t instanceof ContentChangedException || t instanceof ContentMismatchException) {
            return new Failure(ExitCode.VERIFICATION, t.getMessage());
        }
        if (t instanceof NoSuchFileException e) {
            return new Failure(ExitCode.NO_SUCH_FILE, "no such file: " + e.getFile());
        }
        if (t instanceof AccessDeniedException e) {
            return new Failure(ExitCode.PERMISSION, "permission denied: " + e.getFile());
        }
        if (t instanceof FileSystemException e && e.getReason() != null
                && e.getReason().contains("No space left")) {
            return new Failure(ExitCode.DISK_FULL, "disk full: " + e.getFile());
        }
        if (t instanceof IOException e) {
            return new Failure(ExitCode.IO, "I/O error: " + e.getMessage());
        }
        if (t instanceof IllegalArgumentException e) {
            return new Failure(ExitCode.USAGE, e.getMessage());
        }
        return new Failure(ExitCode.INTERNAL, "internal error: " + t);
    }
}
