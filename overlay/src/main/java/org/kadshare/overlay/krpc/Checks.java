package org.kadshare.overlay.krpc;

import java.util.Optional;

/** Null checks shared by the message records' compact constructors. */
final class Checks {
    private Checks() {
    }

    static <T> T present(String what, T value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required, got null");
        }
        return value;
    }

    static <T> Optional<T> optional(String what, Optional<T> value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must be an Optional, got null");
        }
        return value;
    }
}
