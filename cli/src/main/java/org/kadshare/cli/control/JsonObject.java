package org.kadshare.cli.control;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read JSON object with typed accessors that fail with a message naming the field, so a
 * malformed request or reply is reported as such rather than as a ClassCastException.
 */
public record JsonObject(Map<String, Object> fields) {
    public JsonObject {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }

    public boolean has(String key) {
        return fields.get(key) != null;
    }

    public String string(String key) {
        return typed(key, String.class);
    }

    public Optional<String> optionalString(String key) {
        return has(key) ? Optional.of(string(key)) : Optional.empty();
    }

    public long longValue(String key) {
        Number n = typed(key, Number.class);
        return n.longValue();
    }

    public long longValue(String key, long fallback) {
        return has(key) ? longValue(key) : fallback;
    }

    public double doubleValue(String key) {
        return typed(key, Number.class).doubleValue();
    }

    public boolean bool(String key, boolean fallback) {
        return has(key) ? typed(key, Boolean.class) : fallback;
    }

    public List<Object> list(String key) {
        @SuppressWarnings("unchecked")
        List<Object> list = typed(key, List.class);
        return list;
    }

    public JsonObject object(String key) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = typed(key, Map.class);
        return new JsonObject(map);
    }

    /** Wraps a list element read as an object. */
    public static JsonObject of(Object element) {
        if (!(element instanceof Map<?, ?> map)) {
            throw new JsonException("expected a JSON object, got " + Json.describe(element));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        return new JsonObject(fields);
    }

    private <T> T typed(String key, Class<T> type) {
        Object v = fields.get(key);
        if (v == null) {
            throw new JsonException("missing field \"" + key + "\"");
        }
        if (!type.isInstance(v)) {
            throw new JsonException("field \"" + key + "\" is " + Json.describe(v) + ", expected "
                    + type.getSimpleName().toLowerCase(java.util.Locale.ROOT));
        }
        return type.cast(v);
    }

    @Override
    public String toString() {
        return Json.write(fields);
    }
}
