package org.kadshare.cli.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON writer and reader for the control API and {@code --json} output: objects, arrays,
 * strings, numbers (integral values read as {@code Long}, others as {@code Double}), booleans and
 * null. Objects read keep their key order. Input is bounded in size and nesting depth, so a
 * request cannot make the reader grow without limit.
 */
public final class Json {
    /** The longest text {@link #parse} accepts. */
    public static final int MAX_INPUT_CHARS = 1 << 20;
    /** The deepest nesting {@link #parse} accepts. */
    public static final int MAX_DEPTH = 32;

    private Json() {
    }

    /** Writes maps (string keys), lists, strings, numbers, booleans and null as compact JSON. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value, 0);
        return out.toString();
    }

    /** Reads one JSON value; the whole text must be that value (whitespace around it is allowed). */
    public static Object parse(String text) {
        if (text.length() > MAX_INPUT_CHARS) {
            throw new JsonException("JSON text of " + text.length() + " chars exceeds the limit of " + MAX_INPUT_CHARS);
        }
        return new JsonReader(text).readDocument();
    }

    /** Reads a JSON object. */
    public static JsonObject parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map<?, ?> map)) {
            throw new JsonException("expected a JSON object, got " + describe(value));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        return new JsonObject(fields);
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return "a number";
    }

    private static void append(StringBuilder out, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new JsonException("value nested deeper than " + MAX_DEPTH);
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            appendString(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new JsonException("JSON has no representation for " + d);
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                out.append((long) d);
            } else {
                out.append(d);
            }
        } else if (value instanceof Number n) {
            out.append(n.longValue());
        } else if (value instanceof JsonObject o) {
            append(out, o.fields(), depth);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new JsonException("object key is not a string: " + e.getKey());
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                appendString(out, key);
                out.append(':');
                append(out, e.getValue(), depth + 1);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                append(out, list.get(i), depth + 1);
            }
            out.append(']');
        } else {
            throw new JsonException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    private static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A recursive-descent reader over one text. */
    private static final class JsonReader {
        private final String text;
        private int pos;

        JsonReader(String text) {
            this.text = text;
        }

        Object readDocument() {
            Object value = readValue(0);
            skipWhitespace();
            if (pos != text.length()) {
                throw error("unexpected text after the value");
            }
            return value;
        }

        private Object readValue(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nested deeper than " + MAX_DEPTH);
            }
            skipWhitespace();
            if (pos >= text.length()) {
                throw error("unexpected end of input");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> readObject(depth);
                case '[' -> readArray(depth);
                case '"' -> readString();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield readNumber();
                    }
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private Map<String, Object> readObject(int depth) {
            pos++;
            Map<String, Object> fields = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return Collections.unmodifiableMap(fields);
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("expected a string key");
                }
                String key = readString();
                skipWhitespace();
                expect(':');
                if (fields.containsKey(key)) {
                    throw error("duplicate key \"" + key + "\"");
                }
                fields.put(key, readValue(depth + 1));
                skipWhitespace();
                char c = next();
                if (c == '}') {
                    return Collections.unmodifiableMap(fields);
                }
                if (c != ',') {
                    throw error("expected ',' or '}'", pos - 1);
                }
            }
        }

        private List<Object> readArray(int depth) {
            pos++;
            List<Object> items = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return Collections.unmodifiableList(items);
            }
            while (true) {
                items.add(readValue(depth + 1));
                skipWhitespace();
                char c = next();
                if (c == ']') {
                    return Collections.unmodifiableList(items);
                }
                if (c != ',') {
                    throw error("expected ',' or ']'", pos - 1);
                }
            }
        }

        private String readString() {
            pos++;
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw error("control character in a string", pos - 1);
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"' -> out.append('"');
                    case '\\' -> out.append('\\');
                    case '/' -> out.append('/');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("truncated \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape '\\" + e + "'", pos - 1);
                }
            }
        }

        private Object readNumber() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            boolean integral = true;
            int digits = 0;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c >= '0' && c <= '9') {
                    digits++;
                } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                    integral = false;
                } else {
                    break;
                }
                pos++;
            }
            String token = text.substring(start, pos);
            if (digits == 0) {
                throw error("malformed number '" + token + "'", start);
            }
            try {
                if (integral) {
                    return Long.parseLong(token);
                }
                double d = Double.parseDouble(token);
                if (!Double.isFinite(d)) {
                    throw error("number out of range '" + token + "'", start);
                }
                return d;
            } catch (NumberFormatException ex) {
                throw error("malformed number '" + token + "'", start);
            }
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error("unexpected token");
            }
            pos += word.length();
            return value;
        }

        private void expect(char c) {
            if (next() != c) {
                throw error("expected '" + c + "'", pos - 1);
            }
        }

        private char peek() {
            if (pos >= text.length()) {
                throw error("unexpected end of input");
            }
            return text.charAt(pos);
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }

        private void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        private JsonException error(String what) {
            return error(what, pos);
        }

        private JsonException error(String what, int at) {
            return new JsonException("malformed JSON at offset " + at + ": " + what);
        }
    }
}
