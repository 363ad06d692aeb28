package org.kadshare.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.kadshare.bencode.BDictionary;
import org.kadshare.bencode.BString;
import org.kadshare.bencode.BValue;
import org.kadshare.bencode.Bencode;
import org.kadshare.bencode.BencodeException;
import org.kadshare.bencode.BencodeLimits;

/** What the signed bencoded forms (manifests, keyword records) share: strict decoding and signing input. */
final class SignedForms {
    private SignedForms() {
    }

    /**
     * The dictionary {@code encoded} holds, with no key outside {@code keys}.
     *
     * @throws ManifestException if it is longer than {@code maxBytes}, not bencode within
     *     {@code limits}, not a dictionary, or has another key; the message starts with {@code what}
     */
    static BDictionary dictionary(byte[] encoded, int maxBytes, BencodeLimits limits, Set<String> keys, String what)
            throws ManifestException {
        if (encoded != null && encoded.length > maxBytes) {
            throw new ManifestException(what + " of " + encoded.length + " bytes exceeds the limit of " + maxBytes
                    + " bytes");
        }
        BValue value;
        try {
            value = Bencode.decode(encoded, limits);
        } catch (BencodeException e) {
            throw new ManifestException(what + " is not valid bencode: " + e.getMessage(), e);
        }
        if (!(value instanceof BDictionary d)) {
            throw new ManifestException(what + " must be a dictionary, got a " + value.typeName());
        }
        onlyKeys(d, keys, what);
        return d;
    }

    /** @throws ManifestException if {@code d} has a key outside {@code keys} */
    static void onlyKeys(BDictionary d, Set<String> keys, String what) throws ManifestException {
        for (BString key : d.entries().keySet()) {
            if (!keys.contains(new String(key.bytes(), StandardCharsets.ISO_8859_1))) {
                throw new ManifestException(what + " has the unknown key " + key);
            }
        }
    }

    /** {@code domain || bencode(fields)}: what a signature over {@code fields} covers. */
    static byte[] signingInput(byte[] domain, BDictionary fields) {
        byte[] encoded = Bencode.encode(fields);
        byte[] input = Arrays.copyOf(domain, domain.length + encoded.length);
        System.arraycopy(encoded, 0, input, domain.length, encoded.length);
        return input;
    }
}
