package org.kadshare.bencode;

/** A bencoded integer ({@code i<decimal>e}), any {@code long}. */
public record BInteger(long value) implements BValue {

    /** The integer {@code value}. */
    public static BInteger of(long value) {
        return new BInteger(value);
    }

    @Override
    public String typeName() {
        return "integer";
    }
}
