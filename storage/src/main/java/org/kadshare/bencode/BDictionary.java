package org.kadshare.bencode;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A bencoded dictionary ({@code d<key><value>...e}): byte-string keys, kept sorted by their raw
 * bytes compared unsigned, which is the order the canonical encoding writes them in. The typed
 * lookups ({@link #requireString(String)}, {@link #optionalInteger(String)}, ...) throw a
 * {@link BencodeException} that names the key when it is missing or holds the wrong type, so a
 * message decoder can read fields without its own checks.
 */
public record BDictionary(SortedMap<BString, BValue> entries) implements BValue {

    /** Copies {@code entries}, which must not hold null keys or values. */
    public BDictionary {
        if (entries == null) {
            throw new IllegalArgumentException("a dictionary needs entries, got null");
        }
        TreeMap<BString, BValue> copy = new TreeMap<>();
        for (Map.Entry<BString, BValue> e : entries.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("a dictionary has no null keys or values, got "
                        + e.getKey() + " -> " + e.getValue());
            }
            copy.put(e.getKey(), e.getValue());
        }
        entries = Collections.unmodifiableSortedMap(copy);
    }

    /** A builder for a dictionary; keys may be put in any order. */
    public static Builder builder() {
        return new Builder();
    }

    /** Number of entries. */
    public int size() {
        return entries.size();
    }

    /** Whether {@code key} (as UTF-8) is present. */
    public boolean containsKey(String key) {
        return entries.containsKey(BString.utf8(key));
    }

    /** The value under {@code key} (as UTF-8), if present. */
    public Optional<BValue> get(String key) {
        return Optional.ofNullable(entries.get(BString.utf8(key)));
    }

    /** The value under {@code key}; fails naming the key if it is missing. */
    public BValue require(String key) throws BencodeException {
        BValue v = entries.get(BString.utf8(key));
        if (v == null) {
            throw new BencodeException("missing key \"" + key + "\"");
        }
        return v;
    }

    /** The byte string under {@code key}; fails naming the key if missing or not a string. */
    public BString requireString(String key) throws BencodeException {
        return as(BString.class, key, require(key));
    }

    /** The bytes under {@code key}, which must be a string of exactly {@code lengthBytes} bytes. */
    public byte[] requireBytes(String key, int lengthBytes) throws BencodeException {
        BString s = requireString(key);
        if (s.length() != lengthBytes) {
            throw new BencodeException("key \"" + key + "\" must hold " + lengthBytes
                    + " bytes, got " + s.length());
        }
        return s.bytes();
    }

    /** The UTF-8 text under {@code key}; fails if missing, not a string or not valid UTF-8. */
    public String requireUtf8(String key) throws BencodeException {
        BString s = requireString(key);
        try {
            return s.asUtf8();
        } catch (BencodeException e) {
            throw new BencodeException("key \"" + key + "\": " + e.getMessage(), e);
        }
    }

    /** The integer under {@code key}; fails naming the key if missing or not an integer. */
    public long requireInteger(String key) throws BencodeException {
        return as(BInteger.class, key, require(key)).value();
    }

    /** The list under {@code key}; fails naming the key if missing or not a list. */
    public BList requireList(String key) throws BencodeException {
        return as(BList.class, key, require(key));
    }

    /** The dictionary under {@code key}; fails naming the key if missing or not a dictionary. */
    public BDictionary requireDictionary(String key) throws BencodeException {
        return as(BDictionary.class, key, require(key));
    }

    /** The byte string under {@code key} if present; fails if present with another type. */
    public Optional<BString> optionalString(String key) throws BencodeException {
        Optional<BValue> v = get(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(as(BString.class, key, v.get()));
    }

    /** The integer under {@code key} if present; fails if present with another type. */
    public OptionalLong optionalInteger(String key) throws BencodeException {
        Optional<BValue> v = get(key);
        return v.isEmpty() ? OptionalLong.empty()
                : OptionalLong.of(as(BInteger.class, key, v.get()).value());
    }

    /** The list under {@code key} if present; fails if present with another type. */
    public Optional<BList> optionalList(String key) throws BencodeException {
        Optional<BValue> v = get(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(as(BList.class, key, v.get()));
    }

    /** The dictionary under {@code key} if present; fails if present with another type. */
    public Optional<BDictionary> optionalDictionary(String key) throws BencodeException {
        Optional<BValue> v = get(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(as(BDictionary.class, key, v.get()));
    }

    @Override
    public String typeName() {
        return "dictionary";
    }

    private static <T extends BValue> T as(Class<T> type, String key, BValue v)
            throws BencodeException {
        if (!type.isInstance(v)) {
            throw new BencodeException("key \"" + key + "\" must hold a " + typeNameOf(type)
                    + ", got a " + v.typeName());
        }
        return type.cast(v);
    }

    private static String typeNameOf(Class<? extends BValue> type) {
        if (type == BString.class) {
            return "string";
        } else if (type == BInteger.class) {
            return "integer";
        } else if (type == BList.class) {
            return "list";
        }
        return "dictionary";
    }

    /** Collects entries for a {@link BDictionary}; putting the same key twice is a bug and fails. */
    public static final class Builder {
        private final TreeMap<BString, BValue> entries = new TreeMap<>();

        private Builder() {
        }

        /** Puts {@code value} under {@code key}. */
        public Builder put(BString key, BValue value) {
            if (key == null || value == null) {
                throw new IllegalArgumentException("null key or value: " + key + " -> " + value);
            }
            if (entries.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("key " + key + " put twice");
            }
            return this;
        }

        /** Puts {@code value} under the UTF-8 key {@code key}. */
        public Builder put(String key, BValue value) {
            return put(BString.utf8(key), value);
        }

        /** Puts the integer {@code value} under {@code key}. */
        public Builder put(String key, long value) {
            return put(key, new BInteger(value));
        }

        /** Puts a copy of the bytes {@code value} under {@code key}. */
        public Builder put(String key, byte[] value) {
            return put(key, new BString(value));
        }

        /** Puts the UTF-8 text {@code value} under {@code key}. */
        public Builder putUtf8(String key, String value) {
            return put(key, BString.utf8(value));
        }

        /** The dictionary of the entries put so far. */
        public BDictionary build() {
            return new BDictionary(entries);
        }
    }
}
