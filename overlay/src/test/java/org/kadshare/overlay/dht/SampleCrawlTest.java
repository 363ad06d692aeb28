package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.krpc.Token;

/** The crawl against a scripted network: who is asked, in what order, within which bounds. */
class SampleCrawlTest {
    private static final NodeId SELF = NodeId.random(new SplittableRandom(99));
    private static final Token TOKEN = Token.of(new byte[] {1, 2, 3, 4});

    private final SplittableRandom random = new SplittableRandom(1);
    /** Each node's answer: the contacts it names and the keys it samples. */
    private final Map<NodeId, SampleCrawl.Answer> script = new LinkedHashMap<>();
    private final List<String> asked = new ArrayList<>();
    /** Queries waiting for an answer, answered by {@link #answerAll}. */
    private final List<Runnable> waiting = new ArrayList<>();
    private SampledKeys result;

    private static Contact contact(int i) {
        return new Contact(NodeId.random(new SplittableRandom(1000 + i)),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 7000 + i));
    }

    private final SampleCrawl.Asker asker = (to, token, onAnswer, onFailure) -> {
        asked.add(to.address().getPort() + (token == null ? "" : "+token"));
        SampleCrawl.Answer a = script.get(to.id());
        waiting.add(a == null ? onFailure : () -> onAnswer.accept(a));
    };

    private void answerAll() {
        while (!waiting.isEmpty()) {
            List<Runnable> now = new ArrayList<>(waiting);
            waiting.clear();
            now.forEach(Runnable::run);
        }
    }

    private SampleCrawl crawl(List<Contact> seeds, int maxQueries, int maxKeys, int parallel) {
        return new SampleCrawl(seeds, SELF, maxQueries, maxKeys, parallel, asker, r -> result = r);
    }

    private List<NodeId> keys(int n) {
        List<NodeId> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(NodeId.random(random));
        }
        return out;
    }

    /** A chain 0 -> 1 -> ... -> n-1, each node naming the next and sampling two keys of its own. */
    private List<NodeId> chain(int n) {
        List<NodeId> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<NodeId> own = keys(2);
            all.addAll(own);
            List<Contact> next = i + 1 < n ? List.of(contact(i + 1)) : List.of();
            script.put(contact(i).id(), new SampleCrawl.Answer(next, own, 0, 2, null));
        }
        return all;
    }

    @Test
    void theCrawlFollowsTheNodesTheAnswersNameAndCollectsEverySample() {
        List<NodeId> all = chain(6);
        crawl(List.of(contact(0)), 100, 1000, 3).start();
        answerAll();
        assertThat(result).isNotNull();
        assertThat(result.keys()).extracting(SampledKeys.Key::key).containsExactlyInAnyOrderElementsOf(all);
        assertThat(result.queries()).isEqualTo(6);
        assertThat(result.answered()).isEqualTo(6);
        assertThat(result.nodesSeen()).isEqualTo(6);
        assertThat(result.storedReported()).isEqualTo(12);
    }

    @Test
    void theCrawlStopsAtItsQueryBudget() {
        chain(10);
        crawl(List.of(contact(0)), 4, 1000, 3).start();
        answerAll();
        assertThat(asked).hasSize(4);
        assertThat(result.queries()).isEqualTo(4);
        assertThat(result.keys()).hasSize(8);
    }

    @Test
    void neverMoreThanParallelQueriesAreInFlight() {
        List<Contact> seeds = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            seeds.add(contact(i));
            script.put(contact(i).id(), new SampleCrawl.Answer(List.of(), keys(1), 0, 1, null));
        }
        crawl(seeds, 100, 1000, 3).start();
        assertThat(waiting).hasSize(3);
        answerAll();
        assertThat(asked).hasSize(10);
        assertThat(result.answered()).isEqualTo(10);
    }

    @Test
    void stoppingEndsTheCrawlWithWhatArrivedAndLateAnswersAreIgnored() {
        chain(5);
        SampleCrawl c = crawl(List.of(contact(0)), 100, 1000, 3);
        c.start();
        List<Runnable> first = new ArrayList<>(waiting);
        waiting.clear();
        first.forEach(Runnable::run); // node 0 answers, node 1 is asked
        c.stop();
        assertThat(result.keys()).hasSize(2);
        SampledKeys stopped = result;
        answerAll();
        assertThat(result).isSameAs(stopped);
        assertThat(asked).hasSize(2);
    }

    @Test
    void aNodeThatWithheldSamplesIsAskedOnceMoreWithItsToken() {
        Contact a = contact(0);
        List<NodeId> few = keys(1);
        script.put(a.id(), new SampleCrawl.Answer(List.of(), few, 19, 20, TOKEN));
        crawl(List.of(a), 100, 1000, 3).start();
        answerAll();
        assertThat(asked).containsExactly("7000", "7000+token");
        assertThat(result.queries()).isEqualTo(2);
    }

    @Test
    void keysBeyondTheLimitAreNotKeptButReportsOfKnownKeysStillCount() {
        List<NodeId> shared = keys(3);
        for (int i = 0; i < 4; i++) {
            List<NodeId> sample = new ArrayList<>(shared);
            sample.addAll(keys(5));
            script.put(contact(i).id(), new SampleCrawl.Answer(List.of(), sample, 0, 8, null));
        }
        SampleCrawl c = crawl(List.of(contact(0), contact(1), contact(2), contact(3)), 100, 10, 4);
        c.reported(List.of(shared.get(0)));
        c.start();
        answerAll();
        assertThat(result.keys()).hasSize(10);
        assertThat(result.keys().get(0)).isEqualTo(new SampledKeys.Key(shared.get(0), 5));
        assertThat(result.keys().subList(1, 3)).extracting(SampledKeys.Key::reports).containsOnly(4);
    }

    @Test
    void aCrawlWithNobodyToAskEndsAtOnceWithThisNodesOwnKeys() {
        SampleCrawl c = crawl(List.of(), 100, 1000, 3);
        List<NodeId> own = keys(2);
        c.reported(own);
        c.start();
        assertThat(result.keys()).extracting(SampledKeys.Key::key).containsExactlyInAnyOrderElementsOf(own);
        assertThat(result.queries()).isZero();
    }

    @Test
    void failuresAreSkippedAndThisNodeIsNeverAsked() {
        Contact silent = contact(5);
        Contact talker = contact(6);
        script.put(talker.id(), new SampleCrawl.Answer(List.of(new Contact(SELF, talker.address()), silent),
                keys(1), 0, 1, null));
        crawl(List.of(talker), 100, 1000, 3).start();
        answerAll();
        assertThat(asked).containsExactly("7006", "7005");
        assertThat(result.answered()).isEqualTo(1);
    }

    /** For the type checker: an asker that never answers is legal too. */
    @Test
    void aCrawlWhoseQueriesNeverReturnEndsOnlyWhenStopped() {
        Consumer<SampledKeys> none = r -> result = r;
        SampleCrawl c = new SampleCrawl(List.of(contact(0)), SELF, 10, 10, 3, (to, t, ok, fail) -> { }, none);
        c.start();
        assertThat(result).isNull();
        c.stop();
        assertThat(result.queries()).isEqualTo(1);
        assertThat(result.answered()).isZero();
    }
}
