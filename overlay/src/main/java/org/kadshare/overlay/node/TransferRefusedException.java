package org.kadshare.overlay.node;

/**
 * A transfer request that cannot be carried out: the transfer does not exist, or its state does
 * not allow what was asked (pausing a finished download, downloading what is already downloading).
 */
public final class TransferRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Kind { NO_SUCH_TRANSFER, CONFLICT }

    private final Kind kind;

    public TransferRefusedException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
