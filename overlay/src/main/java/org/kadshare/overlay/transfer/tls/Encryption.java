package org.kadshare.overlay.transfer.tls;

import java.util.Locale;

/**
 * Whether the block protocol runs inside TLS 1.3, as a node's {@code --encryption} setting says.
 * The same setting governs both directions: the connections a node opens to holders and the ones
 * its block server accepts.
 */
public enum Encryption {
    /** TLS only: a holder that answers in clear is not used, a getter that speaks clear is refused. */
    REQUIRE,
    /** TLS when the peer speaks it, clear otherwise (the default). */
    PREFER,
    /** Clear only: a TLS ClientHello is answered with a clear ERROR and a close. */
    REFUSE;

    /** The default: see docs/ARCHITECTURE.md, "Encrypted transfers", for why. */
    public static final Encryption DEFAULT = PREFER;

    /**
     * The mode named {@code text} ({@code require}, {@code prefer} or {@code refuse}, any case).
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static Encryption parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (Encryption e : values()) {
            if (e.settingName().equals(t)) {
                return e;
            }
        }
        throw new IllegalArgumentException("encryption must be require, prefer or refuse, not '" + text + "'");
    }

    /** The name in settings and on the command line: {@code require}, {@code prefer}, {@code refuse}. */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
