package dev.vigil.bench.internal;

import dev.vigil.app.Wiring;
import dev.vigil.config.Env;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Lane;
import dev.vigil.events.ScanReason;
import dev.vigil.events.ScanRequest;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.events.Topics;
import dev.vigil.inventory.Target;
import dev.vigil.results.ScanResult;
import dev.vigil.scheduling.LaneClassifier;
import dev.vigil.telemetry.Tracing;
import dev.vigil.worker.LatencyHistogram;
import dev.vigil.worker.ScanHandler;
import dev.vigil.worker.Worker;
import dev.vigil.worker.WorkerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.jspecify.annotations.Nullable;

/**
 * One run of the {@code lanes} scenario: production workers on a fresh topic, scan requests
 * published at a steady rate over the fleet in a fixed shuffled order, and each request's latency
 * from publication to its result acknowledged by the results API, kept apart for fast and slow
 * targets. Requests published during the warm-up are processed but not measured.
 */
public final class LaneRun {

    /**
     * One run of the lanes scenario.
     *
     * @param lanes two groups (fast and slow lane) with the classifier deciding each request's lane
     *     from the targets' scan history, or one group taking everything
     * @param slowTargets whether the slow targets are slow in this run
     */
    public record Plan(String topic, boolean lanes, boolean slowTargets) {}

    /** What a run measured: latencies of fast and of slow targets' scans, publish to stored. */
    public record Outcome(
            LatencyHistogram.Snapshot fast,
            LatencyHistogram.Snapshot slow,
            long published,
            long movedToSlow) {}

    private final LanesRig rig;
    private final List<Target> order;
    private final Set<String> slowIds;
    private final LaneClassifier classifier;
    private final Map<UUID, Long> pending = new ConcurrentHashMap<>();
    private final LatencyHistogram fast = new LatencyHistogram();
    private final LatencyHistogram slow = new LatencyHistogram();

    public LaneRun(
            LanesRig rig, List<Target> order, Set<String> slowIds, LaneClassifier classifier) {
        this.rig = rig;
        this.order = List.copyOf(order);
        this.slowIds = Set.copyOf(slowIds);
        this.classifier = classifier;
    }

    /**
     * Runs the plan.
     *
     * @param check called between publications; throws to abort (dead letters, dead consumers)
     * @throws IllegalStateException when measured requests are still unanswered {@code drain} after
     *     the last publication
     */
    public Outcome run(
            Plan plan,
            double rate,
            Duration warmUp,
            Duration window,
            Duration drain,
            Consumer<List<Worker>> check)
            throws InterruptedException {
        rig.slowTargets(plan.slowTargets());
        Topics topics = topics(plan);
        rig.createTopic(topics.scanRequests(), 30); // as production's scan-request topic
        rig.createTopic(topics.deadLetters(), 1);
        List<Worker> workers = new ArrayList<>();
        try {
            workers.add(worker(plan, Lane.FAST));
            if (plan.lanes()) {
                workers.add(worker(plan, Lane.SLOW));
            }
            for (Worker w : workers) {
                awaitStable(Worker.groupId(w.lane()), w, () -> check.accept(workers));
            }
            long published = publish(plan, rate, warmUp, window, () -> check.accept(workers));
            long deadline = System.nanoTime() + drain.toNanos();
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                check.accept(workers);
                Thread.sleep(100);
            }
            if (!pending.isEmpty()) {
                throw new IllegalStateException(
                        pending.size()
                                + " measured scan(s) of topic "
                                + plan.topic()
                                + " still unanswered "
                                + drain.toSeconds()
                                + " s after the last publication");
            }
            long moved = workers.stream().mapToLong(w -> w.scans().movedToSlow()).sum();
            return new Outcome(fast.snapshot(), slow.snapshot(), published, moved);
        } finally {
            for (Worker w : workers) {
                w.close();
            }
        }
    }

    /**
     * Waits until the lane's group has all its consumers and is stable: the first requests would
     * otherwise wait out the group's formation (seconds of rebalancing), which is not the lane's
     * latency.
     */
    private void awaitStable(String group, Worker w, Runnable check) throws InterruptedException {
        int consumers = WorkerConfig.from(Env.of(Map.of())).consumers();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Admin admin = KafkaClients.admin(rig.bootstrap())) {
            while (System.nanoTime() < deadline) {
                check.run();
                ConsumerGroupDescription d =
                        admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                if (d != null
                        && d.groupState() == GroupState.STABLE
                        && d.members().size() == consumers) {
                    return;
                }
                Thread.sleep(200);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe consumer group " + group, e);
        }
        throw new IllegalStateException(
                "consumer group "
                        + group
                        + " of the "
                        + w.lane().wire()
                        + " lane not stable with "
                        + consumers
                        + " members after 60 s");
    }

    private long publish(Plan plan, double rate, Duration warmUp, Duration window, Runnable check)
            throws InterruptedException {
        ScanRequestPublisher publisher = Wiring.scanRequests(kafka(plan), Tracing.noop());
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + window.toNanos();
        long sent = 0;
        int next = 0;
        long measured = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                return measured;
            }
            long due = (long) ((now - start) / 1e9 * rate);
            List<ScanRequest> batch = new ArrayList<>();
            for (; sent < due; sent++) {
                Target t = order.get(next);
                next = (next + 1) % order.size();
                batch.add(ScanRequest.of(t, lane(plan, t), ScanReason.SCHEDULED, Instant.now()));
            }
            if (now >= measureFrom) {
                long at = System.nanoTime();
                batch.forEach(r -> pending.put(r.scanId(), at));
                measured += batch.size();
            }
            publisher.publishAll(batch);
            check.run();
            Thread.sleep(20);
        }
    }

    /** With lanes, the classifier's verdict from the history the inventory would hold. */
    private Lane lane(Plan plan, Target t) {
        if (!plan.lanes()) {
            return Lane.FAST;
        }
        @Nullable Double smoothedMs = slowIds.contains(t.targetId()) ? 2_500.0 : 5.0;
        return classifier.classify(0, smoothedMs);
    }

    private void stored(ScanResult r) {
        Long at = pending.remove(r.scanId());
        if (at == null) {
            return;
        }
        long micros = (System.nanoTime() - at) / 1_000;
        (slowIds.contains(r.targetId()) ? slow : fast).recordMicros(micros);
    }

    private Worker worker(Plan plan, Lane lane) {
        WorkerConfig d = WorkerConfig.from(Env.of(Map.of()));
        // With lanes, production's limits: a fast worker hands on a target whose fetch exceeds
        // the slow-fetch setting (the classifier's history can be wrong). One group for
        // everything never hands a target on.
        ScanHandler.LaneLimits limits =
                plan.lanes()
                        ? d.laneLimits()
                        : new ScanHandler.LaneLimits(Integer.MAX_VALUE, Duration.ofDays(1));
        WorkerConfig config =
                new WorkerConfig(
                        d.consumers(),
                        d.maxPollRecords(),
                        d.maxInFlight(),
                        d.shutdownDeadline(),
                        d.retry(),
                        limits);
        return Wiring.worker(
                kafka(plan),
                lane,
                config,
                rig.source(),
                new Wiring.Scans(
                        rig.rules(),
                        r -> {
                            rig.results().submit(r);
                            stored(r);
                        },
                        Tracing.noop(),
                        Clock.systemUTC()));
    }

    /** The run's topics: its scan requests and their dead letters, under the plan's name. */
    private static Topics topics(Plan plan) {
        return new Topics(plan.topic() + ".");
    }

    private Wiring.Kafka kafka(Plan plan) {
        return new Wiring.Kafka(rig.bootstrap(), topics(plan), rig.producer());
    }
}
