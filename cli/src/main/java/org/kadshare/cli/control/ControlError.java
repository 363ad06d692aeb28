package org.kadshare.cli.control;

/**
 * A failed control request as the API reports it: an HTTP status, a short code, a one-line
 * message, and the exit code the CLI should end with.
 */
public final class ControlError extends Exception {
    private final int httpStatus;
    private final String code;
    private final int exitCode;

    public ControlError(int httpStatus, String code, String message, int exitCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.code = code;
        this.exitCode = exitCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }

    public int exitCode() {
        return exitCode;
    }
}
