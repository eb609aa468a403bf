package dev.vigil.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.RuleSetHolder;
import dev.vigil.checks.RuleSets;
import dev.vigil.events.ConfigChange;
import dev.vigil.events.ConfigChangeCodec;
import dev.vigil.events.InlineDocument;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.results.ScanResult;
import dev.vigil.sources.ConfigDocument;
import dev.vigil.telemetry.Tracing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A target's versions queued in one poll: evaluated once, as the newest version with every changed
 * section, and one by one when that cannot be done.
 */
class ChangeChainsTest {
    static final Target ZONE = Target.zone("z1", "a1", "example.com", Plan.PRO);
    static final Target OTHER = Target.zone("z2", "a1", "example.org", Plan.PRO);
    static final String DOC =
            "{\"settings\":{\"ssl\":\"flexible\"},\"zone\":{\"name\":\"example.com\"}}";

    private final ConfigChangeCodec codec = ConfigChangeCodec.create();
    private final List<ScanResult> results = new CopyOnWriteArrayList<>();
    private final List<Long> fetched = new CopyOnWriteArrayList<>();
    private final AtomicInteger failFetches = new AtomicInteger();
    private final ChangeHandler handler =
            new ChangeHandler(
                    codec,
                    (target, version) -> {
                        fetched.add(version);
                        if (failFetches.getAndDecrement() > 0) {
                            throw new IllegalStateException("snapshot store down");
                        }
                        return new ConfigDocument(
                                target,
                                DOC.getBytes(StandardCharsets.UTF_8),
                                Instant.now(),
                                Duration.ZERO);
                    },
                    RuleSetHolder.fixed(RuleSets.catalogue()),
                    results::add);
    private final List<Long> oneByOne = new CopyOnWriteArrayList<>();
    private final ChangeChains chains =
            new ChangeChains(
                    handler,
                    r -> {
                        oneByOne.add(handler.decode(r).version());
                        handler.handle(r);
                    },
                    Tracing.noop());

    @Test
    void queuedVersionsAreEvaluatedOnceAsTheNewestWithEveryChangedSection() throws Exception {
        chains.handle(
                List.of(
                        record(change(ZONE, 2, "settings")),
                        record(change(ZONE, 3, "dns_records")),
                        record(change(ZONE, 4, "settings"))));

        assertThat(oneByOne).isEmpty();
        assertThat(results).hasSize(1);
        ScanResult folded = results.getFirst();
        assertThat(folded.scanId()).isEqualTo(ChangeHandler.scanId(change(ZONE, 4, "settings")));
        assertThat(folded.scannedAt()).isEqualTo(at(4));
        assertThat(handler.folded()).isEqualTo(2);
        assertThat(handler.changes()).isEqualTo(1);
        // the checks run are exactly those of the two sections, each evaluated on its own
        assertThat(checksRun(folded))
                .isEqualTo(
                        union(
                                alone(change(ZONE, 9, "settings")),
                                alone(change(ZONE, 9, "dns_records"))))
                .isNotEmpty();
        assertThat(fetched).as("only the newest version is read").containsExactly(4L);
    }

    @Test
    void aVersionNamingNoSectionMakesTheFoldedEvaluationRunEveryCheck() throws Exception {
        chains.handle(List.of(record(change(ZONE, 1)), record(change(ZONE, 2, "settings"))));

        assertThat(results).hasSize(1);
        assertThat(checksRun(results.getFirst())).isEqualTo(alone(change(ZONE, 9)));
    }

    @Test
    void theNewestVersionsInlineDocumentIsTheOneEvaluated() throws Exception {
        chains.handle(
                List.of(
                        record(change(ZONE, 5, "settings")),
                        record(change(ZONE, 6, "settings").withDocument(InlineDocument.of(DOC)))));

        assertThat(fetched).isEmpty();
        assertThat(handler.inlineDocuments()).isEqualTo(1);
        assertThat(results).hasSize(1);
    }

    @Test
    void aFailedFoldedEvaluationFallsBackToEachVersionOnItsOwn() throws Exception {
        failFetches.set(1);

        chains.handle(
                List.of(record(change(ZONE, 2, "settings")), record(change(ZONE, 3, "settings"))));

        assertThat(oneByOne).containsExactly(2L, 3L);
        assertThat(results).extracting(ScanResult::scannedAt).containsExactly(at(2), at(3));
        assertThat(handler.folded()).isZero();
    }

    @Test
    void versionsOutOfOrderOrOfAnotherTargetAreNotFolded() throws Exception {
        chains.handle(
                List.of(record(change(ZONE, 3, "settings")), record(change(ZONE, 2, "settings"))));
        chains.handle(
                List.of(record(change(ZONE, 4, "settings")), record(change(OTHER, 5, "settings"))));

        assertThat(oneByOne).containsExactly(3L, 2L, 4L, 5L);
        assertThat(handler.folded()).isZero();
    }

    @Test
    void aRecordThatDoesNotDecodeGoesThroughTheOneByOnePath() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        ChangeChains c = new ChangeChains(handler, r -> seen.add(r.value().length), Tracing.noop());

        c.handle(
                List.of(
                        record(change(ZONE, 2, "settings")),
                        new ConsumerRecord<>("config-changes", 0, 1L, "z1", new byte[] {1, 2, 3})));

        assertThat(seen).hasSize(2).contains(3);
        assertThat(results).isEmpty();
    }

    @Test
    void aSingleRecordTakesTheOneByOnePath() throws Exception {
        chains.handle(List.of(record(change(ZONE, 7, "settings"))));

        assertThat(oneByOne).containsExactly(7L);
    }

    /** The checks a change evaluated alone runs. */
    private Set<String> alone(ConfigChange c) {
        List<ScanResult> out = new ArrayList<>();
        new ChangeHandler(
                        codec,
                        (t, v) ->
                                new ConfigDocument(
                                        t,
                                        DOC.getBytes(StandardCharsets.UTF_8),
                                        Instant.now(),
                                        Duration.ZERO),
                        RuleSetHolder.fixed(RuleSets.catalogue()),
                        out::add)
                .apply(c);
        return checksRun(out.getFirst());
    }

    private static Set<String> checksRun(ScanResult r) {
        Set<String> s = new HashSet<>(r.evaluatedChecks());
        s.addAll(r.erroredChecks());
        return s;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new HashSet<>(a);
        s.addAll(b);
        return s;
    }

    private static Instant at(long version) {
        return Instant.parse("2026-12-03T17:00:00Z").plusSeconds(version);
    }

    private static ConfigChange change(Target t, long version, String... sections) {
        return new ConfigChange(t, version, List.of(sections), at(version));
    }

    private ConsumerRecord<String, byte[]> record(ConfigChange c) {
        return new ConsumerRecord<>(
                "config-changes", 0, c.version(), c.target().targetId(), codec.encode(c));
    }
}
