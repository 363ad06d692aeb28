package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestChoiceTest {
    private static final ContentId ID = ContentId.of(new byte[32]);
    private final NodeIdentity me = NodeIdentity.generate();
    private final NodeIdentity a = NodeIdentity.generate();
    private final NodeIdentity b = NodeIdentity.generate();
    private final NodeIdentity c = NodeIdentity.generate();

    private static Manifest named(String name, NodeIdentity by) {
        return Manifest.sign(ID, 0, name, "text/plain", 1, by);
    }

    @Test
    void theNameMostPublishersAgreeOnWinsOverOurOwn() {
        List<Manifest> ms = List.of(named("mine.txt", me), named("common.txt", a), named("common.txt", b));
        assertThat(ManifestChoice.choose(ms, me.publicKey()).orElseThrow().name()).isEqualTo("common.txt");
    }

    @Test
    void onATieOurOwnManifestWinsThenTheFirstNameByBytes() {
        List<Manifest> ms = List.of(named("zeta.txt", me), named("alpha.txt", a));
        assertThat(ManifestChoice.choose(ms, me.publicKey()).orElseThrow().name()).isEqualTo("zeta.txt");
        assertThat(ManifestChoice.choose(ms, c.publicKey()).orElseThrow().name()).isEqualTo("alpha.txt");
    }

    @Test
    void theChoiceDoesNotDependOnTheOrderTheManifestsArrivedIn() {
        List<Manifest> ms = List.of(named("b.txt", a), named("a.txt", b), named("c.txt", c));
        Manifest first = ManifestChoice.choose(ms, null).orElseThrow();
        assertThat(ManifestChoice.choose(List.of(ms.get(2), ms.get(0), ms.get(1)), null)).contains(first);
        assertThat(first.name()).isEqualTo("a.txt");
    }

    @Test
    void onePublisherRepeatingItsManifestCountsOnce() {
        Manifest again = Manifest.sign(ID, 0, "spam.txt", "text/plain", 2, a);
        List<Manifest> ms = List.of(named("spam.txt", a), again, named("real.txt", b), named("real.txt", c));
        assertThat(ManifestChoice.choose(ms, null).orElseThrow().name()).isEqualTo("real.txt");
    }

    @Test
    void noManifestsChooseNothing() {
        assertThat(ManifestChoice.choose(List.of(), me.publicKey())).isEmpty();
    }
}
