package org.kadshare.bencode;

import java.util.Arrays;
import java.util.List;

/** A bencoded list ({@code l<values>e}): an immutable, ordered list of values. */
public record BList(List<BValue> values) implements BValue {

    /** Copies {@code values}, which must not be or contain null. */
    public BList {
        if (values == null) {
            throw new IllegalArgumentException("a list needs values, got null");
        }
        values = List.copyOf(values);
    }

    /** A list of {@code values}, in order. */
    public static BList of(BValue... values) {
        return new BList(Arrays.asList(values));
    }

    /** Number of values. */
    public int size() {
        return values.size();
    }

    /** The value at {@code index}. */
    public BValue get(int index) {
        return values.get(index);
    }

    @Override
    public String typeName() {
        return "list";
    }
}
