package dev.vigil.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.worker.ChainHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batches of one consumer in flight: newer ones run while an older one waits, the head is taken
 * in poll order, a key's records stay in order across batches, the permits and the bound hold over
 * all batches, a failure stops what comes after it, and a revocation skips what has not started.
 */
class InFlightTest {
    private static final TopicPartition TP = new TopicPartition("requests", 0);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final CountDownLatch release = new CountDownLatch(1);
    private final List<InFlight> made = new ArrayList<>();

    @AfterEach
    void releaseAndAbandon() {
        release.countDown();
        made.forEach(InFlight::abandonAll);
    }

    @Test
    void newerBatchesRunWhileAnOlderOneWaitsAndTheHeadIsTakenInPollOrder() throws Exception {
        Set<String> handled = ConcurrentHashMap.newKeySet();
        InFlight f = inFlight(16, 8, Long.MAX_VALUE);
        ChainHandler h = blockingOn("slow", handled);
        Batch first = f.start(records(rec(0, "slow"), rec(1, "a")), r -> true, h);
        Batch second = f.start(records(rec(2, "b")), r -> true, h);
        Batch third = f.start(records(rec(3, "c")), r -> true, h);

        await().atMost(WAIT).until(() -> handled.containsAll(Set.of("a", "b", "c")));
        assertThat(f.takeDone()).as("the head still runs: nothing behind it is taken").isEmpty();

        release.countDown();
        assertThat(first.awaitDone(WAIT)).isTrue();
        assertThat(f.takeDone()).containsExactly(first, second, third);
        assertThat(f.isEmpty()).isTrue();
        assertThat(third.nextOffsets().get(TP).offset()).isEqualTo(4);
    }

    @Test
    void aKeysRecordsInANewerBatchRunAfterItsRecordsInAnOlderOne() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        InFlight f = inFlight(16, 8, Long.MAX_VALUE);
        ChainHandler h =
                chain -> {
                    for (ConsumerRecord<String, byte[]> r : chain) {
                        if (r.offset() == 0) {
                            release.await();
                        }
                        order.add(r.key() + "@" + r.offset());
                    }
                };
        f.start(records(rec(0, "k")), r -> true, h);
        f.start(records(rec(1, "k"), rec(2, "x")), r -> true, h);

        await().atMost(WAIT).until(() -> order.contains("x@2"));
        assertThat(order).as("k@1 waits for k@0, which is held").containsExactly("x@2");

        release.countDown();
        assertThat(f.awaitAll(WAIT)).isTrue();
        assertThat(order).containsExactly("x@2", "k@0", "k@1");
    }

    @Test
    void thePermitsBoundTheKeysRunningOverEveryBatch() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        InFlight f = inFlight(2, 8, Long.MAX_VALUE);
        ChainHandler h =
                chain -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    release.await();
                    running.decrementAndGet();
                };
        for (long b = 0; b < 3; b++) {
            f.start(
                    records(rec(2 * b, "k" + 2 * b), rec(2 * b + 1, "k" + (2 * b + 1))),
                    r -> true,
                    h);
        }
        await().atMost(WAIT).until(() -> running.get() == 2);

        release.countDown();
        assertThat(f.awaitAll(WAIT)).isTrue();
        assertThat(most.get()).as("six keys in three batches, two permits").isEqualTo(2);
        assertThat(f.takeDone()).hasSize(3);
    }

    @Test
    void theBoundCountsBatchesAndTheirBytesButAlwaysAllowsOne() throws Exception {
        ChainHandler h = blockingOn("held", ConcurrentHashMap.newKeySet());
        InFlight byCount = inFlight(16, 2, Long.MAX_VALUE);
        byCount.start(records(rec(0, "held")), r -> true, h);
        assertThat(byCount.full()).isFalse();
        byCount.start(records(rec(1, "other")), r -> true, h);
        assertThat(byCount.full()).isTrue();

        InFlight byBytes = inFlight(16, 8, 100);
        assertThat(byBytes.full()).as("empty").isFalse();
        Batch large =
                byBytes.start(
                        records(new ConsumerRecord<>(TP.topic(), 0, 0, "big", new byte[150])),
                        r -> true,
                        h);
        assertThat(byBytes.full()).as("150 of 100 bytes held").isTrue();
        assertThat(large.awaitDone(WAIT)).isTrue();
        assertThat(byBytes.takeDone()).containsExactly(large);
        assertThat(byBytes.full()).isFalse();
    }

    @Test
    void aFailureStopsTheHeadThereAndANewerBatchOfTheSameKeyDoesNotRun() throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        InFlight f = inFlight(16, 8, Long.MAX_VALUE);
        ChainHandler h =
                chain -> {
                    for (ConsumerRecord<String, byte[]> r : chain) {
                        if (r.offset() == 1) {
                            throw new IllegalStateException("boom");
                        }
                        handled.add(r.key() + "@" + r.offset());
                    }
                };
        Batch ok = f.start(records(rec(0, "a")), r -> true, h);
        assertThat(ok.awaitDone(WAIT)).isTrue();
        Batch failed = f.start(records(rec(1, "k")), r -> true, h);
        Batch after = f.start(records(rec(2, "k")), r -> true, h);

        assertThat(f.awaitAll(WAIT)).isTrue();
        assertThat(f.failure()).hasMessage("boom");
        assertThat(failed.failure()).hasMessage("boom");
        assertThat(after.failure()).as("k@2 must not run past k@1").isNotNull();
        assertThat(handled).containsExactly("a@0");
        assertThat(f.takeDone()).containsExactly(ok);
        assertThat(f.takeDone()).as("the failed batch stays at the head").isEmpty();
    }

    @Test
    void aRevocationLetsTheRunningChainsFinishSkipsTheOthersAndTheirBatchesAreForgotten()
            throws Exception {
        Set<String> started = ConcurrentHashMap.newKeySet();
        List<String> handled = new CopyOnWriteArrayList<>();
        InFlight f = inFlight(1, 8, Long.MAX_VALUE);
        ChainHandler h =
                chain -> {
                    for (ConsumerRecord<String, byte[]> r : chain) {
                        started.add(r.key() + "@" + r.offset());
                        if (r.key().equals("slow")) {
                            release.await();
                        }
                        handled.add(r.key() + "@" + r.offset());
                    }
                };
        Batch first = f.start(records(rec(0, "a")), r -> true, h);
        assertThat(first.awaitDone(WAIT)).isTrue();
        Batch running = f.start(records(rec(1, "slow")), r -> true, h);
        await().atMost(WAIT).until(() -> started.contains("slow@1"));
        // one permit, held by slow@1: c@2 waits for it, slow@3 for slow@1
        Batch queued = f.start(records(rec(2, "c"), rec(3, "slow")), r -> true, h);

        f.handBack();
        release.countDown();
        assertThat(f.awaitAll(WAIT)).as("the running chain finished, the others skipped").isTrue();
        assertThat(handled).containsExactly("a@0", "slow@1");
        assertThat(running.handedBack()).isFalse();
        assertThat(queued.handedBack()).isTrue();
        assertThat(f.takeDone())
                .as("committed: the batches before the first with a skipped chain")
                .containsExactly(first, running);
        assertThat(f.forgetRest()).as("records going back uncommitted").isEqualTo(2);
        assertThat(f.isEmpty()).isTrue();

        Batch polledAfter = f.start(records(rec(2, "c"), rec(3, "slow")), r -> true, h);
        assertThat(polledAfter.awaitDone(WAIT)).isTrue();
        assertThat(f.takeDone())
                .as("a batch polled after the revocation runs")
                .containsExactly(polledAfter);
        assertThat(handled).containsExactly("a@0", "slow@1", "c@2", "slow@3");
    }

    @Test
    void theOtherLanesRecordsAreDoneAtOnceAndOnlyCounted() throws Exception {
        InFlight f = inFlight(16, 8, Long.MAX_VALUE);
        ChainHandler h =
                chain -> {
                    throw new AssertionError("refused records reached the handler: " + chain);
                };
        Batch b = f.start(records(rec(0, "theirs"), rec(1, "theirs-too")), r -> false, h);
        assertThat(b.accepted()).isZero();
        assertThat(b.size()).isEqualTo(2);
        assertThat(f.takeDone()).containsExactly(b);
        assertThat(b.nextOffsets()).containsEntry(TP, new OffsetAndMetadata(2));
    }

    private InFlight inFlight(int permits, int batches, long bytes) {
        InFlight f = new InFlight(permits, batches, bytes);
        made.add(f);
        return f;
    }

    /** A handler that records each key it handled and holds {@code key} until the release. */
    private ChainHandler blockingOn(String key, Set<String> handled) {
        return chain -> {
            for (ConsumerRecord<String, byte[]> r : chain) {
                if (r.key().equals(key)) {
                    release.await();
                }
                handled.add(r.key());
            }
        };
    }

    private static ConsumerRecord<String, byte[]> rec(long offset, String key) {
        return new ConsumerRecord<>(TP.topic(), TP.partition(), offset, key, new byte[] {1});
    }

    @SafeVarargs
    private static ConsumerRecords<String, byte[]> records(ConsumerRecord<String, byte[]>... rs) {
        return new ConsumerRecords<>(Map.of(TP, List.of(rs)), Map.of());
    }
}
