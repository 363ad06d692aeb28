package org.kadshare.overlay.transfer.wire;

final class RequestIds {
    private RequestIds() {
    }

    static void check(int requestId) {
        if (requestId < 1) {
            throw new IllegalArgumentException("request ID " + Integer.toUnsignedString(requestId)
                    + " is outside [1, 2^31-1]");
        }
    }

    static void checkSpan(int height, long index) {
        if (height < 0 || height > Limits.MAX_HEIGHT) {
            throw new IllegalArgumentException("span height " + height + " is outside [0, " + Limits.MAX_HEIGHT + "]");
        }
        if (index < 0 || index >= Limits.MAX_LEAF_COUNT) {
            throw new IllegalArgumentException("span index " + index + " is outside [0, 2^49)");
        }
    }
}
