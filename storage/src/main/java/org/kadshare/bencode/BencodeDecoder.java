package org.kadshare.bencode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A strict, bounded bencode parser over one byte window.
 *
 * <p>Design note. Input comes from peers, so the parser must finish in time linear in the input,
 * use memory bounded by the limits, and fail only with {@link BencodeException}. It therefore does
 * not recurse: open lists and dictionaries sit on an explicit stack whose height is checked against
 * {@link BencodeLimits#maxDepth()}, so no input can overflow the thread stack. Every value (keys
 * included) is counted against {@link BencodeLimits#maxItems()} before it is read. A string's
 * declared length is checked against the string limit while its digits are read and against the
 * bytes left in the window before anything is allocated, so a forged length costs nothing. Integers
 * accumulate as negative numbers so that {@code Long.MIN_VALUE} parses and any overflow is seen.
 * Strictness (no leading zeros, no {@code -0}, sorted unique keys) makes the encoding of a value
 * unique, which is what lets signatures cover re-encoded bytes.
 */
final class BencodeDecoder {
    private final byte[] in;
    private final int end;
    private final BencodeLimits limits;
    private final ArrayDeque<Frame> open = new ArrayDeque<>();
    private int pos;
    private int items;

    BencodeDecoder(byte[] in, int offset, int end, BencodeLimits limits) {
        this.in = in;
        this.pos = offset;
        this.end = end;
        this.limits = limits;
    }

    int position() {
        return pos;
    }

    BValue decodeValue() throws BencodeException {
        while (true) {
            Frame top = open.peek();
            int b = next("a value or the end of a container");
            BValue done;
            if (top != null && top.isDictionary() && top.pendingKey == null) {
                if (b == 'e') {
                    pos++;
                    open.pop();
                    done = top.build();
                } else if (isDigit(b)) {
                    countItem();
                    int keyOffset = pos;
                    top.acceptKey(readString(), keyOffset);
                    continue;
                } else {
                    throw fail("dictionary key must be a byte string, found " + describe(b));
                }
            } else if (top != null && b == 'e') {
                if (top.pendingKey != null) {
                    throw fail("dictionary key " + top.pendingKey + " has no value");
                }
                pos++;
                open.pop();
                done = top.build();
            } else {
                countItem();
                if (b == 'i') {
                    done = readInteger();
                } else if (isDigit(b)) {
                    done = readString();
                } else if (b == 'l' || b == 'd') {
                    if (open.size() >= limits.maxDepth()) {
                        throw fail("nesting deeper than the limit of " + limits.maxDepth());
                    }
                    open.push(new Frame(b == 'd', pos));
                    pos++;
                    continue;
                } else {
                    throw fail("expected a value, found " + describe(b));
                }
            }
            Frame parent = open.peek();
            if (parent == null) {
                return done;
            }
            parent.add(done);
        }
    }

    private BInteger readInteger() throws BencodeException {
        int start = pos;
        pos++;
        boolean negative = false;
        if (pos < end && in[pos] == '-') {
            negative = true;
            pos++;
        }
        int digitsStart = pos;
        long acc = 0;
        while (pos < end && isDigit(in[pos])) {
            if (pos > digitsStart && in[digitsStart] == '0') {
                throw failAt(start, "integer with a leading zero");
            }
            int d = in[pos] - '0';
            if (acc < Long.MIN_VALUE / 10 || (acc == Long.MIN_VALUE / 10 && d > 8)) {
                throw failAt(start, "integer does not fit in 64 bits");
            }
            acc = acc * 10 - d;
            pos++;
        }
        int digits = pos - digitsStart;
        next("the end of the integer started at offset " + start);
        if (digits == 0) {
            throw failAt(start, "integer without digits");
        }
        if (in[pos] != 'e') {
            throw fail("expected 'e' to end the integer started at offset " + start + ", found "
                    + describe(in[pos]));
        }
        if (negative && acc == 0) {
            throw failAt(start, "integer -0");
        }
        if (!negative && acc == Long.MIN_VALUE) {
            throw failAt(start, "integer does not fit in 64 bits");
        }
        pos++;
        return new BInteger(negative ? acc : -acc);
    }

    private BString readString() throws BencodeException {
        int start = pos;
        long length = 0;
        while (pos < end && isDigit(in[pos])) {
            if (pos > start && in[start] == '0') {
                throw failAt(start, "string length with a leading zero");
            }
            length = length * 10 + (in[pos] - '0');
            if (length > limits.maxStringLengthBytes()) {
                throw failAt(start, "string longer than the limit of "
                        + limits.maxStringLengthBytes() + " bytes");
            }
            pos++;
        }
        int b = next("':' after the string length at offset " + start);
        if (b != ':') {
            throw fail("expected ':' after the string length at offset " + start + ", found "
                    + describe(b));
        }
        pos++;
        if (length > end - pos) {
            throw failAt(start, "string of " + length + " bytes runs past the end of the input ("
                    + (end - pos) + " bytes left)" + windowNote());
        }
        byte[] bytes = new byte[(int) length];
        System.arraycopy(in, pos, bytes, 0, bytes.length);
        pos += bytes.length;
        return new BString(bytes);
    }

    private int next(String expected) throws BencodeException {
        if (pos >= end) {
            throw fail("input ends where " + expected + " should be" + windowNote());
        }
        return in[pos];
    }

    private void countItem() throws BencodeException {
        if (++items > limits.maxItems()) {
            throw fail("more than the limit of " + limits.maxItems() + " items");
        }
    }

    private String windowNote() {
        return end < in.length ? " (the value exceeds the limit of " + limits.maxInputBytes()
                + " input bytes)" : "";
    }

    private BencodeException fail(String what) {
        return failAt(pos, what);
    }

    private static BencodeException failAt(int offset, String what) {
        return new BencodeException("bencode: " + what + " at offset " + offset);
    }

    private static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    private static String describe(int b) {
        int u = b & 0xff;
        return u >= 0x21 && u <= 0x7e ? "'" + (char) u + "'" : String.format("byte 0x%02x", u);
    }

    /** An open list or dictionary and what has been read into it so far. */
    private static final class Frame {
        private final int startOffset;
        private final List<BValue> list;
        private final TreeMap<BString, BValue> dictionary;
        private BString pendingKey;
        private BString lastKey;

        Frame(boolean isDictionary, int startOffset) {
            this.startOffset = startOffset;
            this.list = isDictionary ? null : new ArrayList<>();
            this.dictionary = isDictionary ? new TreeMap<>() : null;
        }

        boolean isDictionary() {
            return dictionary != null;
        }

        void acceptKey(BString key, int keyOffset) throws BencodeException {
            if (lastKey != null) {
                int order = key.compareTo(lastKey);
                if (order == 0) {
                    throw failAt(keyOffset, "duplicate dictionary key " + key);
                }
                if (order < 0) {
                    throw failAt(keyOffset, "dictionary key " + key + " is not after " + lastKey
                            + " (keys must be sorted)");
                }
            }
            pendingKey = key;
            lastKey = key;
        }

        void add(BValue value) {
            if (list != null) {
                list.add(value);
            } else {
                dictionary.put(pendingKey, value);
                pendingKey = null;
            }
        }

        BValue build() {
            return list != null ? new BList(list) : new BDictionary(dictionary);
        }

        @Override
        public String toString() {
            return (list != null ? "list" : "dictionary") + " at offset " + startOffset;
        }
    }
}
