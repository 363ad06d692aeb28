package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.dht.SampledKeys;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.NodeIdentity;

class BrowseListingTest {
    private static final NodeIdentity ALICE = NodeIdentity.generate();
    private static final NodeIdentity BOB = NodeIdentity.generate();
    private static final NodeIdentity CAROL = NodeIdentity.generate();

    private static ContentId id(int fill, int tail) {
        byte[] b = new byte[ContentId.LENGTH_BYTES];
        java.util.Arrays.fill(b, (byte) fill);
        b[ContentId.LENGTH_BYTES - 1] = (byte) tail;
        return ContentId.of(b);
    }

    private static NodeId keyOf(ContentId id) {
        return NodeId.of(id.dhtKey());
    }

    private static Manifest signed(ContentId id, String name, long length, NodeIdentity by) {
        return Manifest.sign(id, length, name, "text/plain", 1, by);
    }

    @Test
    void eachSampledContentIsListedUnderTheNameMostPublishersGiveIt() {
        ContentId movie = id(1, 0);
        ContentId notes = id(2, 0);
        ContentId nameless = id(3, 0);
        List<SampledKeys.Key> keys = List.of(new SampledKeys.Key(keyOf(movie), 3),
                new SampledKeys.Key(keyOf(notes), 1), new SampledKeys.Key(keyOf(nameless), 1));
        SampledKeys sampled = new SampledKeys(keys, 7, 6, 9, 40);
        Map<NodeId, List<Manifest>> found = Map.of(
                keyOf(movie), List.of(signed(movie, "movie.mkv", 1000, ALICE), signed(movie, "movie.mkv", 1000, BOB),
                        signed(movie, "spam.exe", 1000, CAROL)),
                keyOf(notes), List.of(signed(notes, "notes.txt", 12, CAROL)));

        BrowseResult r = BrowseListing.of(sampled, keys, found, null);

        assertThat(r.files()).extracting(BrowseResult.File::name).containsExactly("movie.mkv", "notes.txt");
        assertThat(r.files().get(0)).isEqualTo(new BrowseResult.File(movie, "movie.mkv", "text/plain", 1000, 3, 3));
        assertThat(r.unnamed()).isEqualTo(1);
        assertThat(r.keysSampled()).isEqualTo(3);
        assertThat(r.queries()).isEqualTo(7);
        assertThat(r.answered()).isEqualTo(6);
        assertThat(r.nodesSeen()).isEqualTo(9);
    }

    @Test
    void twoContentsUnderOneKeyAreListedApart() {
        ContentId first = id(4, 1);
        ContentId second = id(4, 2);
        assertThat(keyOf(first)).isEqualTo(keyOf(second));
        List<SampledKeys.Key> keys = List.of(new SampledKeys.Key(keyOf(first), 1));
        BrowseResult r = BrowseListing.of(new SampledKeys(keys, 1, 1, 1, 1), keys,
                Map.of(keyOf(first), List.of(signed(second, "b", 2, ALICE), signed(first, "a", 1, ALICE))), null);
        assertThat(r.files()).extracting(BrowseResult.File::id).containsExactly(first, second);
    }
}
