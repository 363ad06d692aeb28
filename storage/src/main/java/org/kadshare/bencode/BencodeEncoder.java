package org.kadshare.bencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes the canonical bencoding. Dictionaries already keep their keys sorted, so writing entries
 * in map order is canonical. Recursion depth equals the nesting of the value, which is built by
 * this process (decoded values are bounded by {@link BencodeLimits#maxDepth()}).
 */
final class BencodeEncoder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    private BencodeEncoder() {
    }

    static byte[] encode(BValue value) {
        BencodeEncoder e = new BencodeEncoder();
        e.write(value);
        return e.out.toByteArray();
    }

    private void write(BValue value) {
        if (value instanceof BString s) {
            writeString(s);
        } else if (value instanceof BInteger i) {
            out.write('i');
            writeAscii(Long.toString(i.value()));
            out.write('e');
        } else if (value instanceof BList l) {
            out.write('l');
            for (BValue v : l.values()) {
                write(v);
            }
            out.write('e');
        } else if (value instanceof BDictionary d) {
            out.write('d');
            for (Map.Entry<BString, BValue> e : d.entries().entrySet()) {
                writeString(e.getKey());
                write(e.getValue());
            }
            out.write('e');
        } else {
            throw new IllegalStateException("unknown bencode value " + value);
        }
    }

    private void writeString(BString s) {
        byte[] raw = s.raw();
        writeAscii(Integer.toString(raw.length));
        out.write(':');
        out.write(raw, 0, raw.length);
    }

    private void writeAscii(String digits) {
        byte[] b = digits.getBytes(StandardCharsets.US_ASCII);
        out.write(b, 0, b.length);
    }
}
