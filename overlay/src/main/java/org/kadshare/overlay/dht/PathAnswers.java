package org.kadshare.overlay.dht;

/**
 * What the paths of one {@link DisjointLookup} have heard together: how many answers, and how many
 * of them came past their contact's hard timeout. A path whose own contacts are all silent does
 * not wait for them as if nobody answered when another path has answers (its seeds more likely
 * departed), and one late answer on any path shows the machine or path slower than the estimate.
 * The first answer tells {@code onFirstAnswer}, so paths waiting on silence can end.
 */
final class PathAnswers {
    private final Runnable onFirstAnswer;
    private int answered;
    private int late;

    PathAnswers(Runnable onFirstAnswer) {
        this.onFirstAnswer = onFirstAnswer;
    }

    /** For a single lookup: nothing else to tell. */
    static PathAnswers single() {
        return new PathAnswers(() -> { });
    }

    /** An answer came, past its contact's hard timeout when {@code overdue}. */
    void answered(boolean overdue) {
        answered++;
        if (overdue) {
            late++;
        }
        if (answered == 1) {
            onFirstAnswer.run();
        }
    }

    boolean anyAnswer() {
        return answered > 0;
    }

    boolean anyLate() {
        return late > 0;
    }
}
