package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CollectionCodecTest {
    private static final ContentId ID = ContentId.of(new byte[32]);

    private static CollectionEntry file(String path) {
        return new CollectionEntry(path, 3, "text/plain", ID);
    }

    @Test
    void aCollectionRoundTripsThroughItsCanonicalEncoding() throws Exception {
        Collection c = Collection.of(List.of(file("b/x.txt"), file("a.txt"), file("b/c/y.txt")),
                List.of("empty", "b/e"));
        byte[] bytes = CollectionCodec.encode(c);
        assertThat(CollectionCodec.decode(bytes)).isEqualTo(c);
        assertThat(c.files()).extracting(CollectionEntry::path).containsExactly("a.txt", "b/c/y.txt", "b/x.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "../up.txt", "a/../../up.txt", "a/./b", "a//b", "a/", "a\\b", "a\0b",
        "line\nbreak", ""})
    void aPathThatCouldEscapeTheDestinationOrMeanSomethingElseIsRefused(String path) {
        assertThatThrownBy(() -> file(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("collection path");
    }

    @Test
    void aPathNotInNfcFormIsRefusedSoTwinsCannotHide() {
        assertThatThrownBy(() -> file("e\u0301.txt")).hasMessageContaining("NFC");
    }

    @Test
    void tooLongOrTooDeepPathsAreRefused() {
        assertThatThrownBy(() -> file("x".repeat(256))).hasMessageContaining("255");
        assertThatThrownBy(() -> file("d/".repeat(CollectionPath.MAX_DEPTH) + "f")).hasMessageContaining("components");
        assertThat(file("d/".repeat(CollectionPath.MAX_DEPTH - 1) + "f").path()).endsWith("/f");
    }

    @Test
    void aPathListedTwiceIsRefused() {
        assertThatThrownBy(() -> Collection.of(List.of(file("a.txt"), file("a.txt")), List.of()))
                .hasMessageContaining("listed twice");
    }

    @Test
    void aFileThatIsAlsoADirectoryOfAnotherEntryIsRefused() {
        assertThatThrownBy(() -> Collection.of(List.of(file("a"), file("a/b")), List.of()))
                .hasMessageContaining("is a file and a directory");
        assertThatThrownBy(() -> Collection.of(List.of(file("a/b")), List.of("a")))
                .hasMessageContaining("listed as empty but holds");
        assertThatThrownBy(() -> Collection.of(List.of(file("a")), List.of("a")))
                .hasMessageContaining("as a file and as an empty directory");
    }

    @Test
    void moreThanTheEntryLimitIsRefusedAndTheLimitItselfIsAccepted() {
        List<CollectionEntry> many = new ArrayList<>();
        for (int i = 0; i < Collection.MAX_ENTRIES; i++) {
            many.add(file(String.format("f%05d", i)));
        }
        Collection full = Collection.of(many, List.of());
        assertThat(full.files()).hasSize(Collection.MAX_ENTRIES);
        assertThatThrownBy(() -> Collection.of(many, List.of("one-more"))).hasMessageContaining("at most");
    }

    @Test
    void aFullSizeCollectionDecodesWithinItsLimits() throws Exception {
        List<CollectionEntry> many = new ArrayList<>();
        for (int i = 0; i < Collection.MAX_ENTRIES; i++) {
            many.add(new CollectionEntry(String.format("%0250d/", i) + "y".repeat(250) + "/" + "z".repeat(250)
                    + "/" + "w".repeat(250), 1, "a".repeat(60) + "/" + "b".repeat(66), ID));
        }
        byte[] bytes = CollectionCodec.encode(Collection.of(many, List.of()));
        assertThat(bytes.length).isLessThanOrEqualTo(CollectionCodec.MAX_ENCODED_BYTES);
        assertThat(CollectionCodec.decode(bytes).files()).hasSize(Collection.MAX_ENTRIES);
    }

    @Test
    void aDocumentWithUnsortedEntriesOrUnknownKeysOrOtherVersionsIsRefused() {
        byte[] unsorted = ("d1:dle1:fld1:c32:" + "\0".repeat(32) + "1:li3e1:m10:text/plain1:p1:be"
                + "d1:c32:" + "\0".repeat(32) + "1:li3e1:m10:text/plain1:p1:aee1:vi1ee")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> CollectionCodec.decode(unsorted)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("not sorted");
        byte[] extra = "d1:dle1:fle1:vi1e1:xi0ee".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> CollectionCodec.decode(extra)).hasMessageContaining("unknown key");
        byte[] v2 = "d1:dle1:fle1:vi2ee".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> CollectionCodec.decode(v2)).hasMessageContaining("version 2");
        byte[] escaping = ("d1:dle1:fld1:c32:" + "\0".repeat(32) + "1:li3e1:m10:text/plain1:p9:../up.txtee1:vi1ee")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> CollectionCodec.decode(escaping)).hasMessageContaining("'..' component");
    }

    @Test
    void anEmptyCollectionIsValid() throws Exception {
        Collection empty = Collection.of(List.of(), List.of());
        assertThat(CollectionCodec.decode(CollectionCodec.encode(empty))).isEqualTo(empty);
    }
}
