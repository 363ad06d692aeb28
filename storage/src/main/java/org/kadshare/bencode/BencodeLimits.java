package org.kadshare.bencode;

/**
 * Bounds that decoding enforces, so input from a peer cannot make the decoder use more memory or
 * stack than these allow.
 *
 * @param maxInputBytes          the longest input accepted at all
 * @param maxDepth               the most containers (lists, dictionaries) open at once; a top-level
 *                               dictionary holding a list is depth 2
 * @param maxItems               the most values in one input, counting every string, integer, list,
 *                               dictionary and dictionary key
 * @param maxStringLengthBytes   the longest byte string
 */
public record BencodeLimits(int maxInputBytes, int maxDepth, int maxItems, int maxStringLengthBytes) {

    /**
     * Limits for one UDP datagram (a KRPC message, a manifest): 64 KiB of input, depth 16,
     * 4096 items, strings up to 64 KiB.
     */
    public static final BencodeLimits DATAGRAM = new BencodeLimits(65_536, 16, 4096, 65_536);

    /** Checks that every limit is positive. */
    public BencodeLimits {
        if (maxInputBytes < 1 || maxDepth < 1 || maxItems < 1 || maxStringLengthBytes < 0) {
            throw new IllegalArgumentException("bencode limits must be positive: input "
                    + maxInputBytes + " bytes, depth " + maxDepth + ", items " + maxItems
                    + ", string " + maxStringLengthBytes + " bytes");
        }
    }
}
