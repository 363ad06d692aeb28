package org.kadshare.overlay.node;

/**
 * Decides what a {@link TransferCommand} does to a download in a given {@link TransferState}, as
 * a pure function, so that asking twice, or asking a finished transfer, has one clear answer:
 * <pre>
 *               PAUSE          RESUME          CANCEL
 * RUNNING       -> PAUSED      unchanged       -> CANCELLED
 * PAUSED        unchanged      -> RUNNING      -> CANCELLED
 * FAILED        refused        -> RUNNING      -> CANCELLED
 * DONE          refused        refused         refused
 * CANCELLED     refused        refused         unchanged
 * </pre>
 */
final class TransferRules {
    /** The answer: the state to move to (the current one when nothing changes), or why not. */
    record Decision(TransferState next, boolean changes, String refusal) {
        static Decision moveTo(TransferState next) {
            return new Decision(next, true, null);
        }

        static Decision stay(TransferState now) {
            return new Decision(now, false, null);
        }

        static Decision refuse(TransferState now, String why) {
            return new Decision(now, false, why);
        }

        boolean refused() {
            return refusal != null;
        }
    }

    private TransferRules() {
    }

    static Decision decide(TransferState now, TransferCommand command) {
        return switch (command) {
            case PAUSE -> switch (now) {
                case RUNNING -> Decision.moveTo(TransferState.PAUSED);
                case PAUSED -> Decision.stay(now);
                case FAILED -> Decision.refuse(now, "it failed; resume it to try again");
                case DONE -> Decision.refuse(now, "it is done");
                case CANCELLED -> Decision.refuse(now, "it was cancelled");
            };
            case RESUME -> switch (now) {
                case RUNNING -> Decision.stay(now);
                case PAUSED, FAILED -> Decision.moveTo(TransferState.RUNNING);
                case DONE -> Decision.refuse(now, "it is done");
                case CANCELLED -> Decision.refuse(now, "it was cancelled; start a new download");
            };
            case CANCEL -> switch (now) {
                case RUNNING, PAUSED, FAILED -> Decision.moveTo(TransferState.CANCELLED);
                case CANCELLED -> Decision.stay(now);
                case DONE -> Decision.refuse(now, "it is done (remove the file with `rm` instead)");
            };
        };
    }
}
