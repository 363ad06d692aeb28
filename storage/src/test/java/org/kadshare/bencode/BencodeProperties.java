package org.kadshare.bencode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class BencodeProperties {

    @Property(tries = 500)
    void anyValueRoundTripsByteForByte(@ForAll("values") BValue value) throws BencodeException {
        byte[] encoded = Bencode.encode(value);
        BValue decoded = Bencode.decode(encoded);
        assertThat(decoded).isEqualTo(value);
        assertThat(Bencode.encode(decoded)).isEqualTo(encoded);
    }

    @Property(tries = 2000)
    void randomBytesNeverThrowAnythingButBencodeException(
            @ForAll @Size(max = 64) byte[] input) {
        decodeExpectingOnlyBencodeException(input);
    }

    @Property(tries = 2000)
    void randomBencodeAlphabetNeverThrowsAnythingButBencodeException(
            @ForAll("bencodeAlphabet") byte[] input) {
        decodeExpectingOnlyBencodeException(input);
    }

    @Property(tries = 2000)
    void mutatedOrTruncatedEncodingsNeverThrowAnythingButBencodeException(
            @ForAll("shallowValues") BValue value, @ForAll("mutations") List<int[]> mutations,
            @ForAll double keepFraction) {
        byte[] encoded = Bencode.encode(value);
        for (int[] m : mutations) {
            if (encoded.length > 0) {
                encoded[Math.floorMod(m[0], encoded.length)] = (byte) m[1];
            }
        }
        int keep = (int) Math.round(encoded.length * Math.min(1.0, Math.abs(keepFraction)));
        byte[] cut = java.util.Arrays.copyOf(encoded, keep);
        decodeExpectingOnlyBencodeException(cut);
        decodeExpectingOnlyBencodeException(encoded);
    }

    @Property(tries = 300)
    void aDecodedValueReencodesToTheInputItCameFrom(@ForAll("bencodeAlphabet") byte[] input) {
        try {
            BValue v = Bencode.decode(input);
            assertThat(Bencode.encode(v)).isEqualTo(input);
        } catch (BencodeException expected) {
            // rejected input has nothing to re-encode
        }
    }

    private static void decodeExpectingOnlyBencodeException(byte[] input) {
        try {
            Bencode.decode(input, new BencodeLimits(1024, 8, 256, 512));
        } catch (BencodeException expected) {
            assertThat(expected.getMessage()).startsWith("bencode: ");
        }
    }

    @Provide
    Arbitrary<BValue> values() {
        return valuesNestedAtMost(3);
    }

    @Provide
    Arbitrary<BValue> shallowValues() {
        return valuesNestedAtMost(2);
    }

    private static Arbitrary<BValue> valuesNestedAtMost(int depth) {
        Arbitrary<BValue> strings = Arbitraries.bytes().array(byte[].class).ofMaxSize(20)
                .map(BString::new);
        Arbitrary<BValue> integers = Arbitraries.oneOf(Arbitraries.longs(),
                Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE)).map(BInteger::new);
        if (depth == 0) {
            return Arbitraries.oneOf(strings, integers);
        }
        Arbitrary<BValue> inner = valuesNestedAtMost(depth - 1);
        Arbitrary<BValue> lists = inner.list().ofMaxSize(4).map(BList::new);
        Arbitrary<BValue> dictionaries = Arbitraries.bytes().array(byte[].class).ofMaxSize(6)
                .map(BString::new)
                .list().ofMaxSize(4)
                .flatMap(keys -> inner.list().ofSize(keys.size()).map(vals -> {
                    TreeMap<BString, BValue> m = new TreeMap<>();
                    for (int i = 0; i < keys.size(); i++) {
                        m.put(keys.get(i), vals.get(i));
                    }
                    return (BValue) new BDictionary(m);
                }));
        return Arbitraries.oneOf(strings, integers, lists, dictionaries);
    }

    @Provide
    Arbitrary<byte[]> bencodeAlphabet() {
        return Arbitraries.of((byte) 'i', (byte) 'l', (byte) 'd', (byte) 'e', (byte) ':',
                        (byte) '-', (byte) '0', (byte) '1', (byte) '2', (byte) '9', (byte) 'a')
                .array(byte[].class).ofMaxSize(24);
    }

    @Provide
    Arbitrary<List<int[]>> mutations() {
        return Arbitraries.integers().between(0, 1000)
                .flatMap(p -> Arbitraries.integers().between(0, 255).map(b -> new int[] {p, b}))
                .list().ofMaxSize(3);
    }
}
