package org.kadshare.simulations.sim;

import java.util.BitSet;
import java.util.Objects;

/**
 * A cut through the simulated network: nodes on side A and all others (side B) cannot reach one
 * another while the partition is open. Nodes that join during the partition are on side B.
 */
public final class Partition {
    private final String name;
    private final BitSet sideA;

    private Partition(String name, BitSet sideA) {
        this.name = Objects.requireNonNull(name, "name");
        this.sideA = (BitSet) sideA.clone();
    }

    /** A partition whose side A is the given node slots. */
    public static Partition of(String name, BitSet sideA) {
        return new Partition(name, sideA);
    }

    /** Splits slots {@code 0..slots-1} in two halves by parity (even slots on side A). */
    public static Partition halves(String name, int slots) {
        BitSet a = new BitSet(slots);
        for (int i = 0; i < slots; i += 2) {
            a.set(i);
        }
        return new Partition(name, a);
    }

    /** The partition's name as shown in reports. */
    public String name() {
        return name;
    }

    /** Whether slots {@code a} and {@code b} are on different sides. */
    public boolean separates(int a, int b) {
        return sideA.get(a) != sideA.get(b);
    }

    /** Whether slot {@code index} is on side A. */
    public boolean onSideA(int index) {
        return sideA.get(index);
    }
}
