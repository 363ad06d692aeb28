package org.kadshare.cli.control;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * JSON for the control API and {@code --json} output, through jackson-jr: values are maps (key
 * order kept), lists, strings, numbers, booleans and null. Reading is bounded: at most
 * {@link #MAX_INPUT_CHARS} of text, nesting at most {@link #MAX_DEPTH} deep, no duplicate keys,
 * nothing after the value. Every failure is a {@link JsonException} whose message says "JSON".
 */
public final class Json {
    /** The longest text {@link #parse} reads. */
    public static final int MAX_INPUT_CHARS = 1 << 20;
    /** The deepest nesting of arrays and objects {@link #parse} accepts. */
    public static final int MAX_DEPTH = 32;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JSON JSON_IO = JSON.builder(FACTORY).build()
            .with(JSON.Feature.WRITE_NULL_PROPERTIES, JSON.Feature.PRESERVE_FIELD_ORDERING)
            .without(JSON.Feature.HANDLE_JAVA_BEANS);

    private Json() {
    }

    /** One line of JSON text for a map, list, string, number, boolean or null. */
    public static String write(Object value) {
        try {
            return JSON_IO.asString(value);
        } catch (IOException e) {
            throw new JsonException("cannot write JSON: " + message(e));
        }
    }

    /** Reads one JSON value; the whole text must be that value (whitespace aside). */
    public static Object parse(String text) {
        if (text.length() > MAX_INPUT_CHARS) {
            throw new JsonException("JSON text of " + text.length() + " chars exceeds the limit of " + MAX_INPUT_CHARS);
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() == null) {
                throw new JsonException("malformed JSON: no value in the text");
            }
            Object value = JSON_IO.anyFrom(p);
            if (p.nextToken() != null) {
                throw new JsonException("malformed JSON: text after the value at offset "
                        + p.currentTokenLocation().getCharOffset());
            }
            return value;
        } catch (JsonProcessingException e) {
            String m = message(e);
            throw new JsonException((m.contains("nesting depth") ? "JSON nested too deep: " : "malformed JSON: ") + m
                    + " at offset " + (e.getLocation() == null ? -1 : e.getLocation().getCharOffset()));
        } catch (IOException e) {
            throw new JsonException("malformed JSON: " + message(e));
        }
    }

    /** Reads a JSON object. */
    public static JsonObject parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map<?, ?> map)) {
            throw new JsonException("expected a JSON object, got " + describe(v));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        return new JsonObject(fields);
    }

    /** What kind of JSON value this is, for error messages. */
    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof List<?>) {
            return "an array";
        }
        return v instanceof Map<?, ?> ? "an object" : v.getClass().getSimpleName();
    }

    private static String message(IOException e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
