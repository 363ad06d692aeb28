package org.kadshare.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The words a file can be searched by, and the DHT key of each. A text is normalised to Unicode
 * NFKC and lower case (root locale), then split on every code point that is not a letter or a
 * digit; words shorter than {@link #MIN_WORD_CODE_POINTS} or longer than
 * {@link #MAX_WORD_CODE_POINTS} are dropped, as are repeats, and at most {@link #MAX_WORDS} are
 * kept, in order of first appearance. So {@code "Arq4 Final.TXT"} gives {@code arq4, final, txt},
 * and a full-width {@code "ＡＲＱ４"} the same {@code arq4}. A word's DHT key is the first 20 bytes
 * of {@code SHA-256("kadshare-keyword-key-v1" || 0x00 || UTF-8 word)}.
 */
public final class Keywords {
    /** Shortest word kept, in code points: one and two letter words are too common to search by. */
    public static final int MIN_WORD_CODE_POINTS = 3;
    /** Longest word kept, in code points: longer runs are hashes or noise, not words. */
    public static final int MAX_WORD_CODE_POINTS = 40;
    /** Most words taken from one text, so one file costs a bounded number of DHT records. */
    public static final int MAX_WORDS = 12;
    /** Length of a word's DHT key in bytes. */
    public static final int KEY_LENGTH_BYTES = 20;

    private static final byte[] DOMAIN = "kadshare-keyword-key-v1\0".getBytes(StandardCharsets.US_ASCII);

    private Keywords() {
    }

    /** The searchable words of {@code text}, normalised, distinct, at most {@link #MAX_WORDS}. */
    public static List<String> of(String text) {
        Set<String> words = new LinkedHashSet<>();
        String normal = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder word = new StringBuilder();
        int[] codePoints = normal.codePoints().toArray();
        int length = 0;
        for (int i = 0; i <= codePoints.length && words.size() < MAX_WORDS; i++) {
            if (i < codePoints.length && Character.isLetterOrDigit(codePoints[i])) {
                word.appendCodePoint(codePoints[i]);
                length++;
                continue;
            }
            if (length >= MIN_WORD_CODE_POINTS && length <= MAX_WORD_CODE_POINTS) {
                words.add(word.toString());
            }
            word.setLength(0);
            length = 0;
        }
        return List.copyOf(words);
    }

    /**
     * The search words of user tags, normalised like a name's ({@link #of(String)}), distinct, in
     * order: a tag of several words (say {@code "New York"}) gives each of them. A file is filed
     * under these as well as under its name's words.
     *
     * @throws IllegalArgumentException naming the tag, if a tag gives no word, or if the tags give
     *     more than {@link #MAX_WORDS} words in all
     */
    public static List<String> tags(List<String> tags) {
        Set<String> words = new LinkedHashSet<>();
        for (String tag : tags) {
            List<String> of = of(tag == null ? "" : tag);
            if (of.isEmpty()) {
                throw new IllegalArgumentException("the tag \"" + shown(tag) + "\" has no searchable word: words"
                        + " are runs of letters or digits of " + MIN_WORD_CODE_POINTS + " to " + MAX_WORD_CODE_POINTS
                        + " characters");
            }
            words.addAll(of);
            if (words.size() > MAX_WORDS) {
                throw new IllegalArgumentException("too many tags: at most " + MAX_WORDS + " tag words per file");
            }
        }
        return List.copyOf(words);
    }

    /** {@code text} as a message can show it: control characters as '?', cut after 40 characters. */
    private static String shown(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(MAX_WORD_CODE_POINTS)
                .forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return text.codePointCount(0, text.length()) > MAX_WORD_CODE_POINTS ? out + "..." : out.toString();
    }

    /** Whether {@code word} is one normalised word, as {@link #of(String)} yields. */
    public static boolean isWord(String word) {
        return word != null && of(word).equals(List.of(word));
    }

    /** The 20-byte DHT key of a normalised {@code word}. */
    public static byte[] dhtKey(String word) {
        if (!isWord(word)) {
            throw new IllegalArgumentException("not a normalised search word: \"" + word + "\"");
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(DOMAIN);
            byte[] digest = sha.digest(word.getBytes(StandardCharsets.UTF_8));
            byte[] key = new byte[KEY_LENGTH_BYTES];
            System.arraycopy(digest, 0, key, 0, KEY_LENGTH_BYTES);
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
