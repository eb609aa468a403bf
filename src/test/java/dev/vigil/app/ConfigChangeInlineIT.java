package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.Env;
import dev.vigil.events.ConfigChange;
import dev.vigil.events.ConfigChangePublisher;
import dev.vigil.events.InlineDocument;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.snapshots.ConfigSnapshots;
import dev.vigil.worker.ChangeHandler;
import dev.vigil.worker.WorkerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Config-change schema v2 on the whole pipeline: a pushed document within the inline limit travels
 * in its event and is evaluated with no snapshot fetch; a larger one is left out of the event and
 * fetched from the API, as every document was before v2.
 */
class ConfigChangeInlineIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static LocalPipeline pipeline;

    @BeforeAll
    static void start() {
        Env defaults = Env.of(Map.of());
        pipeline =
                LocalPipeline.start(
                        new LocalPipeline.Options(
                                4L,
                                2,
                                4,
                                PlanIntervals.uniform(Duration.ofHours(1)),
                                0,
                                ConfigService.LatencyModel.none(),
                                null,
                                WorkerConfig.from(defaults),
                                SchedulerConfig.from(defaults)));
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void aSmallDocumentIsEvaluatedFromTheEventAndALargeOneIsFetched() throws Exception {
        Target zone =
                pipeline.fleet().targets().stream()
                        .filter(t -> t.kind() == TargetKind.ZONE)
                        .findFirst()
                        .orElseThrow();
        ChangeHandler handler = pipeline.changeWorker().changes();
        long fetches0 = handler.snapshotFetches();
        long inline0 = handler.inlineDocuments();

        ObjectNode doc = JSON.createObjectNode();
        doc.putObject("settings").put("ssl", "flexible");
        doc.putObject("dnssec").put("status", "disabled");
        String firstPush = JSON.writeValueAsString(doc);
        assertThat(push(zone, doc)).isEqualTo(1);
        awaitScan(zone, 1);

        assertThat(handler.inlineDocuments() - inline0).isEqualTo(1);
        assertThat(handler.snapshotFetches() - fetches0).as("snapshot fetches").isZero();
        assertThat(findings(zone, 1)).isPositive();

        // Past the default inline limit (256 KiB): the event names the version only.
        ((ObjectNode) doc.get("settings")).put("ssl", "strict");
        doc.put("notes", "n".repeat(ConfigChangePublisher.DEFAULT_INLINE_MAX_BYTES));
        assertThat(push(zone, doc)).isEqualTo(2);
        awaitScan(zone, 2);

        assertThat(handler.snapshotFetches() - fetches0).as("snapshot fetches").isEqualTo(1);
        assertThat(handler.inlineDocuments() - inline0).isEqualTo(1);

        Map<Long, ConfigChange> onTopic = events(zone, 2);
        InlineDocument small = onTopic.get(1L).document();
        assertThat(small).isNotNull();
        String inline = new String(Objects.requireNonNull(small).bytes(), StandardCharsets.UTF_8);
        // The compact text the API stored; the snapshot route serves the jsonb column's rendition
        // of it (keys reordered, spaced): the same JSON.
        assertThat(inline).isEqualTo(firstPush);
        assertThat(JSON.readTree(inline)).isEqualTo(JSON.readTree(stored(zone, 1)));
        assertThat(onTopic.get(2L).document()).isNull();
    }

    /** Pushes {@code doc} to the zone and answers the stored version. */
    private static long push(Target zone, ObjectNode doc) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                pipeline.apiUrl()
                                                        + "v1/zones/"
                                                        + zone.targetId()
                                                        + "/config"))
                                .header("Authorization", "Bearer " + pipeline.accountToken())
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                JSON.writeValueAsString(doc)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("version").asLong();
    }

    /** The config-change events of {@code zone} on the topic, by version, up to {@code last}. */
    private static Map<Long, ConfigChange> events(Target zone, long last) {
        return byVersion(
                zone,
                ConfigChangeTopic.changes(
                        pipeline.kafkaBootstrap(),
                        pipeline.topics().configChanges(),
                        all -> byVersion(zone, all).size() >= last));
    }

    private static Map<Long, ConfigChange> byVersion(Target zone, List<ConfigChange> all) {
        Map<Long, ConfigChange> out = new HashMap<>();
        for (ConfigChange e : all) {
            if (e.target().targetId().equals(zone.targetId())) {
                out.put(e.version(), e);
            }
        }
        return out;
    }

    /** The document the API serves for that version: what the worker would have fetched. */
    private static String stored(Target zone, long version) {
        return ConfigSnapshots.of(Jdbi.create(pipeline.database()))
                .find(zone.targetId(), version)
                .orElseThrow()
                .document();
    }

    private static void awaitScan(Target zone, long version) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> findings(zone, version) >= 0);
    }

    /** Checks evaluated by the change scan of that version; -1 before it is stored. */
    private static long findings(Target zone, long version) {
        ConfigChange c = new ConfigChange(zone, version, List.of(), Instant.EPOCH);
        return Jdbi.create(pipeline.database())
                .withHandle(
                        h ->
                                h.createQuery(
                                                "select checks_evaluated from scans where scan_id = :s")
                                        .bind("s", ChangeHandler.scanId(c))
                                        .mapTo(Long.class)
                                        .findOne()
                                        .orElse(-1L));
    }
}
