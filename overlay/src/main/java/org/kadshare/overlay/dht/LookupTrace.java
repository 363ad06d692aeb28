package org.kadshare.overlay.dht;

/**
 * How one iterative lookup went, for status output and the simulator.
 *
 * <p>A lookup's rounds are counted along the path a contact was learned on: the contacts the
 * lookup starts from (the node's own table) are asked in round 1, a contact first named in an
 * answer to a round-r query is asked in round r + 1. Queries of one round overlap in time.
 *
 * @param queried            queries sent
 * @param responded          contacts that answered
 * @param rounds             the highest round that got an answer (0 when nobody answered)
 * @param firstValueRound    the round of the first answer, in time, that carried the record
 *                           (holders or a manifest), or {@link #NONE}
 * @param firstValueMillis   time from the start to that answer, or {@link #NONE}
 * @param durationMillis     time from the start to the end of the lookup
 */
public record LookupTrace(int queried, int responded, int rounds, int firstValueRound, long firstValueMillis,
                          long durationMillis) {
    /** The value of {@code firstValueRound} and {@code firstValueMillis} when no answer carried the record. */
    public static final int NONE = -1;

    /** Checks the figures are consistent. */
    public LookupTrace {
        if (queried < 0 || responded < 0 || responded > queried || rounds < 0 || durationMillis < 0
                || firstValueRound < NONE || firstValueMillis < NONE
                || (firstValueRound == NONE) != (firstValueMillis == NONE)) {
            throw new IllegalArgumentException("inconsistent lookup trace: queried=" + queried + " responded="
                    + responded + " rounds=" + rounds + " firstValueRound=" + firstValueRound
                    + " firstValueMillis=" + firstValueMillis + " durationMillis=" + durationMillis);
        }
    }

    /** Whether some answer carried the record. */
    public boolean foundValue() {
        return firstValueRound != NONE;
    }
}
