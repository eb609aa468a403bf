package dev.vigil.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.checks.RuleSetHolder;
import dev.vigil.checks.RuleSets;
import dev.vigil.events.ConfigChange;
import dev.vigil.events.ConfigChangeCodec;
import dev.vigil.events.InlineDocument;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ScanResult;
import dev.vigil.sources.ConfigDocument;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Which document a change is evaluated on: the inline one when the event carries it (no fetch),
 * else the version fetched from the snapshots port (a large document, or a v1 event).
 */
class ChangeHandlerTest {
    static final Target ZONE = Target.zone("z1", "a1", "example.com", Plan.PRO);
    static final String FLEXIBLE = "{\"settings\":{\"ssl\":\"flexible\"}}";
    static final String STRICT = "{\"settings\":{\"ssl\":\"strict\"}}";

    private final ConfigChangeCodec codec = ConfigChangeCodec.create();
    private final List<Long> fetched = new CopyOnWriteArrayList<>();
    private final List<ScanResult> results = new CopyOnWriteArrayList<>();
    // The snapshot store holds the flexible document; an inline copy says strict.
    private final ChangeHandler handler =
            new ChangeHandler(
                    codec,
                    (target, version) -> {
                        fetched.add(version);
                        return new ConfigDocument(
                                target,
                                FLEXIBLE.getBytes(StandardCharsets.UTF_8),
                                Instant.now(),
                                Duration.ofMillis(1));
                    },
                    RuleSetHolder.fixed(RuleSets.catalogue()),
                    results::add);

    @Test
    void anInlineDocumentIsEvaluatedWithoutAFetch() {
        handler.handle(record(change(2).withDocument(InlineDocument.of(STRICT))));

        assertThat(fetched).isEmpty();
        assertThat(handler.inlineDocuments()).isEqualTo(1);
        assertThat(handler.snapshotFetches()).isZero();
        assertThat(checks(results.getFirst())).doesNotContain("tls.ssl_flexible");
        assertThat(results.getFirst().evaluatedChecks()).isNotEmpty();
    }

    @Test
    void aChangeWithoutItsDocumentFetchesThatVersion() {
        handler.handle(record(change(3)));

        assertThat(fetched).containsExactly(3L);
        assertThat(handler.snapshotFetches()).isEqualTo(1);
        assertThat(handler.inlineDocuments()).isZero();
        assertThat(checks(results.getFirst())).contains("tls.ssl_flexible");
    }

    @Test
    void aFailedFetchFailsTheEventAndSendsNothing() {
        ChangeHandler failing =
                new ChangeHandler(
                        codec,
                        (target, version) -> {
                            throw new IllegalStateException("snapshot v" + version + " is gone");
                        },
                        RuleSetHolder.fixed(RuleSets.catalogue()),
                        results::add);

        assertThatThrownBy(() -> failing.handle(record(change(4))))
                .hasMessageContaining("snapshot v4 is gone");
        assertThat(results).isEmpty();
    }

    private static ConfigChange change(long version) {
        return new ConfigChange(
                ZONE, version, List.of("settings"), Instant.parse("2026-12-03T17:00:00Z"));
    }

    private ConsumerRecord<String, byte[]> record(ConfigChange c) {
        return new ConsumerRecord<>(
                "config-changes", 0, 0L, c.target().targetId(), codec.encode(c));
    }

    private static List<String> checks(ScanResult r) {
        return r.findings().stream().map(ResultFinding::checkId).toList();
    }
}
