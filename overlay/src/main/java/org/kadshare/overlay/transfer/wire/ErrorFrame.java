package org.kadshare.overlay.transfer.wire;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A refusal. With a request ID it answers that request only; with {@link #CONNECTION} (0) it is
 * about the whole connection, and the sender closes the connection after it.
 *
 * @param requestId the request refused, or 0 for the connection
 * @param code      why
 * @param reason    for people: UTF-8, at most {@link Limits#MAX_REASON_BYTES} bytes when encoded
 */
public record ErrorFrame(int requestId, ErrorCode code, String reason) implements Frame {
    /** The request ID of an error about the whole connection. */
    public static final int CONNECTION = 0;

    /** Checks the ranges. */
    public ErrorFrame {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
        if (requestId != CONNECTION) {
            RequestIds.check(requestId);
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_REASON_BYTES) {
            throw new IllegalArgumentException("an error reason is at most " + Limits.MAX_REASON_BYTES
                    + " bytes of UTF-8");
        }
    }

    /** An error about the connection, its reason cut to fit the limit. */
    public static ErrorFrame connection(ErrorCode code, String reason) {
        return new ErrorFrame(CONNECTION, code, fit(reason));
    }

    /** An error about request {@code requestId}, its reason cut to fit the limit. */
    public static ErrorFrame request(int requestId, ErrorCode code, String reason) {
        return new ErrorFrame(requestId, code, fit(reason));
    }

    /** Whether it is about the whole connection (which the sender then closes). */
    public boolean isConnectionError() {
        return requestId == CONNECTION;
    }

    static String fit(String reason) {
        String r = reason == null ? "" : reason;
        int maxChars = Limits.MAX_REASON_BYTES / 4;
        if (r.getBytes(StandardCharsets.UTF_8).length <= Limits.MAX_REASON_BYTES) {
            return r;
        }
        int end = maxChars;
        if (Character.isHighSurrogate(r.charAt(end - 1))) {
            end--;
        }
        return r.substring(0, end);
    }

    @Override
    public FrameType type() {
        return FrameType.ERROR;
    }
}
