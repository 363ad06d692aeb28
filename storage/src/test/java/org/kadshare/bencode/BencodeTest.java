package org.kadshare.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BencodeTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static BValue decode(String s) throws BencodeException {
        return Bencode.decode(ascii(s));
    }

    private static String encode(BValue v) {
        return new String(Bencode.encode(v), StandardCharsets.ISO_8859_1);
    }

    @Test
    void decodesTheFourExamplesOfTheBitTorrentSpecification() throws BencodeException {
        assertThat(decode("4:spam")).isEqualTo(BString.utf8("spam"));
        assertThat(decode("i3e")).isEqualTo(new BInteger(3));
        assertThat(decode("l4:spam4:eggse"))
                .isEqualTo(BList.of(BString.utf8("spam"), BString.utf8("eggs")));
        assertThat(decode("d3:cow3:moo4:spam4:eggse")).isEqualTo(BDictionary.builder()
                .putUtf8("cow", "moo").putUtf8("spam", "eggs").build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"4:spam", "i3e", "l4:spam4:eggse", "d3:cow3:moo4:spam4:eggse", "0:",
        "i0e", "i-1e", "le", "de", "i9223372036854775807e", "i-9223372036854775808e",
        "d1:ad1:bl0:i-5eee1:blee", "d0:i1e1:\u00ffi2ee"})
    void reencodingADecodedValueGivesTheSameBytes(String input) throws BencodeException {
        assertThat(encode(decode(input))).isEqualTo(input);
    }

    @Test
    void encodingWritesDictionaryKeysInUnsignedByteOrder() {
        BDictionary d = BDictionary.builder()
                .put(BString.of(new byte[] {(byte) 0x80}), new BInteger(1))
                .put("b", 2)
                .put("a", 3)
                .build();
        assertThat(Bencode.encode(d)).isEqualTo(new byte[] {
            'd', '1', ':', 'a', 'i', '3', 'e', '1', ':', 'b', 'i', '2', 'e',
            '1', ':', (byte) 0x80, 'i', '1', 'e', 'e'});
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "empty input|''",
        "leading zero in integer|i03e",
        "leading zeros in zero|i00e",
        "negative zero|i-0e",
        "negative leading zero|i-01e",
        "integer without digits|ie",
        "integer of only a sign|i-e",
        "space in integer|i e",
        "plus sign|i+1e",
        "unterminated integer|i12",
        "integer overflow|i9223372036854775808e",
        "negative overflow|i-9223372036854775809e",
        "huge integer|i99999999999999999999999e",
        "leading zero in string length|04:spam",
        "string past the end|5:spam",
        "string without colon|4spam",
        "string length only|4",
        "negative string length|-1:a",
        "unsorted keys|d4:spam4:eggs3:cow3:mooe",
        "duplicate keys|d3:cow3:moo3:cow3:mooe",
        "integer key|di1e3:mooe",
        "key without value|d3:cowe",
        "unterminated list|l4:spam",
        "unterminated dictionary|d3:cow3:moo",
        "trailing bytes|i3ei4e",
        "trailing garbage after dictionary|de0",
        "stray end|e",
        "unknown type|x",
        "uppercase list|L4:spame",
    })
    void strictDecodingRejects(String what, String input) {
        assertThatThrownBy(() -> decode(input))
                .as(what)
                .isInstanceOf(BencodeException.class)
                .hasMessageContaining("offset");
    }

    @Test
    void rejectionNamesWhatBrokeAndWhere() {
        assertThatThrownBy(() -> decode("d3:cow3:moo3:cow3:mooe"))
                .hasMessage("bencode: duplicate dictionary key \"cow\" at offset 11");
        assertThatThrownBy(() -> decode("i-0e")).hasMessage("bencode: integer -0 at offset 0");
        assertThatThrownBy(() -> decode("l5:spam"))
                .hasMessageContaining("string of 5 bytes runs past the end");
    }

    @Test
    void nestingBeyondTheDepthLimitIsRejected() throws BencodeException {
        BencodeLimits limits = new BencodeLimits(1024, 3, 100, 100);
        assertThat(Bencode.decode(ascii("llleee"), limits)).isNotNull();
        assertThatThrownBy(() -> Bencode.decode(ascii("lllleeee"), limits))
                .isInstanceOf(BencodeException.class)
                .hasMessageContaining("nesting deeper than the limit of 3");
    }

    @Test
    void deeplyNestedInputFailsWithoutOverflowingTheStack() {
        byte[] input = ascii("l".repeat(60_000) + "e".repeat(60_000));
        BencodeLimits generous = new BencodeLimits(200_000, 100_000, 200_000, 10);
        assertThatThrownBy(() -> Bencode.decode(ascii("l".repeat(60_000))))
                .isInstanceOf(BencodeException.class);
        assertThatCode(() -> Bencode.decode(input, generous))
                .doesNotThrowAnyException();
    }

    @Test
    void moreItemsThanTheLimitAreRejected() throws BencodeException {
        BencodeLimits limits = new BencodeLimits(1024, 4, 4, 100);
        assertThat(Bencode.decode(ascii("li1ei2ei3ee"), limits)).isNotNull();
        assertThatThrownBy(() -> Bencode.decode(ascii("li1ei2ei3ei4ee"), limits))
                .hasMessageContaining("more than the limit of 4 items");
        assertThatThrownBy(() -> Bencode.decode(ascii("d1:ai1e1:bi2ee"), limits))
                .as("keys count as items")
                .hasMessageContaining("items");
    }

    @Test
    void stringLongerThanTheLimitIsRejectedFromItsLengthAlone() {
        BencodeLimits limits = new BencodeLimits(1024, 4, 10, 8);
        assertThatThrownBy(() -> Bencode.decode(ascii("9:123456789"), limits))
                .hasMessageContaining("string longer than the limit of 8 bytes");
        assertThatThrownBy(() -> Bencode.decode(ascii("99999999999999999999999:"), limits))
                .hasMessageContaining("string longer than the limit");
    }

    @Test
    void forgedHugeStringLengthIsRejectedBeforeAllocating() {
        BencodeLimits limits = new BencodeLimits(1024, 4, 10, Integer.MAX_VALUE);
        assertThatThrownBy(() -> Bencode.decode(ascii("2147483647:x"), limits))
                .hasMessageContaining("runs past the end of the input (1 bytes left)");
    }

    @Test
    void inputLongerThanTheLimitIsRejected() {
        BencodeLimits limits = new BencodeLimits(8, 4, 10, 100);
        assertThatThrownBy(() -> Bencode.decode(ascii("10:0123456789"), limits))
                .hasMessageContaining("input of 13 bytes exceeds the limit of 8 bytes");
    }

    @Test
    void nullInputIsABencodeException() {
        assertThatThrownBy(() -> Bencode.decode(null)).isInstanceOf(BencodeException.class);
    }

    @Test
    void decodePrefixStopsAfterTheFirstValueAndReportsWhere() throws BencodeException {
        byte[] input = ascii("xxd1:ai1ee<rest>");
        Bencode.Prefix p = Bencode.decodePrefix(input, 2, BencodeLimits.DATAGRAM);
        assertThat(p.value()).isEqualTo(BDictionary.builder().put("a", 1).build());
        assertThat(p.endOffset()).isEqualTo(10);
    }

    @Test
    void decodePrefixBoundsTheValueByTheInputLimit() {
        BencodeLimits limits = new BencodeLimits(4, 4, 10, 100);
        assertThatThrownBy(() -> Bencode.decodePrefix(ascii("4:spam"), 0, limits))
                .hasMessageContaining("exceeds the limit of 4 input bytes");
    }

    @Test
    void typedLookupsReturnFieldsAndNameTheKeyThatIsMissingOrWrong() throws BencodeException {
        BDictionary d = BDictionary.builder()
                .putUtf8("id", "abc")
                .put("port", 6881)
                .put("nodes", BList.of())
                .put("r", BDictionary.builder().build())
                .build();
        assertThat(d.requireString("id")).isEqualTo(BString.utf8("abc"));
        assertThat(d.requireUtf8("id")).isEqualTo("abc");
        assertThat(d.requireBytes("id", 3)).isEqualTo(ascii("abc"));
        assertThat(d.requireInteger("port")).isEqualTo(6881);
        assertThat(d.optionalInteger("port")).hasValue(6881);
        assertThat(d.optionalInteger("absent")).isEmpty();
        assertThat(d.optionalString("absent")).isEmpty();
        assertThat(d.requireList("nodes").size()).isZero();
        assertThat(d.requireDictionary("r").size()).isZero();
        assertThat(d.optionalDictionary("r")).isPresent();
        assertThat(d.optionalList("nodes")).isPresent();

        assertThatThrownBy(() -> d.requireString("token")).hasMessage("missing key \"token\"");
        assertThatThrownBy(() -> d.requireInteger("id"))
                .hasMessage("key \"id\" must hold a integer, got a string");
        assertThatThrownBy(() -> d.optionalString("port"))
                .hasMessage("key \"port\" must hold a string, got a integer");
        assertThatThrownBy(() -> d.requireBytes("id", 20))
                .hasMessage("key \"id\" must hold 20 bytes, got 3");
    }

    @Test
    void requireUtf8RejectsMalformedUtf8NamingTheKey() {
        BDictionary d = BDictionary.builder().put("n", new byte[] {(byte) 0xc3}).build();
        assertThatThrownBy(() -> d.requireUtf8("n"))
                .isInstanceOf(BencodeException.class)
                .hasMessageContaining("key \"n\"")
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void builderRefusesTheSameKeyTwice() {
        assertThatThrownBy(() -> BDictionary.builder().put("a", 1).put("a", 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"a\" put twice");
    }

    @Test
    void byteStringsCopyTheirBytesAndCompareByContent() {
        byte[] b = {1, 2, 3};
        BString s = BString.of(b);
        b[0] = 9;
        s.bytes()[1] = 9;
        assertThat(s.bytes()).containsExactly(1, 2, 3);
        assertThat(s).isEqualTo(BString.of(new byte[] {1, 2, 3}));
        assertThat(s.hashCode()).isEqualTo(BString.of(new byte[] {1, 2, 3}).hashCode());
        assertThat(s).isNotEqualTo(BString.of(new byte[] {1, 2}));
        assertThat(s.toString()).isEqualTo("0x010203");
    }
}
