package dev.vigil.snapshots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.events.ConfigChange;
import dev.vigil.inventory.TargetKind;
import dev.vigil.testing.TestPostgres;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ConfigSnapshotsIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static TestPostgres pg;
    static ConfigSnapshots snapshots;
    final List<ConfigChange> announced = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
        snapshots = ConfigSnapshots.of(Jdbi.create(pg.dataSource()));
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    static SnapshotPush push(String zone, String doc, @Nullable Long version) {
        return new SnapshotPush(
                TargetKind.ZONE,
                zone,
                doc,
                DocumentFingerprints.of(JSON.readTree(doc)),
                version,
                null);
    }

    PushOutcome store(SnapshotPush push) {
        return snapshots.push(push, (change, document) -> announced.add(change));
    }

    @Test
    void aSecondVersionNamesTheSectionsItChangesAndIsAnnounced() {
        pg.zoneTarget("cs-a", "cs-z1");
        PushOutcome first = store(push("cs-z1", "{\"dns\":1,\"tls\":1}", null));
        PushOutcome second = store(push("cs-z1", "{\"dns\":2,\"tls\":1}", null));

        assertThat(first).isInstanceOf(PushOutcome.Accepted.class);
        assertThat(first.changedSections()).as("first version: every check runs").isEmpty();
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.changedSections()).containsExactly("dns");
        assertThat(second.receivedAt()).isAfter(first.receivedAt());
        assertThat(announced).extracting(ConfigChange::version).containsExactly(1L, 2L);
        assertThat(snapshots.find("cs-z1", null).orElseThrow())
                .as("stored as pushed (V28: text, not jsonb)")
                .isEqualTo(new Snapshot(2, "{\"dns\":2,\"tls\":1}"));
        assertThat(snapshots.find("cs-z1", 1L)).isPresent();
    }

    /**
     * Pushes of one target racing from many threads are serialized by the target's session lock,
     * which alone keeps them apart between reading the newest version and inserting the next (no
     * transaction spans the two): every push is stored as a version of its own, numbered without
     * gaps, received and announced in version order.
     */
    @Test
    void racingPushesOfOneTargetGetConsecutiveVersionsReceivedAndAnnouncedInOrder()
            throws Exception {
        pg.zoneTarget("cs-a", "cs-race");
        int threads = 8;
        long each = 10;
        List<PushOutcome> outcomes = new CopyOnWriteArrayList<>();
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                long first = t * each;
                done.add(
                        pool.submit(
                                () -> {
                                    for (int k = 0; k < each; k++) {
                                        String doc = "{\"dns\":" + (first + k) + "}";
                                        outcomes.add(store(push("cs-race", doc, null)));
                                    }
                                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }

        List<Long> versions = LongStream.rangeClosed(1, threads * each).boxed().toList();
        List<PushOutcome> byVersion =
                outcomes.stream().sorted(Comparator.comparingLong(PushOutcome::version)).toList();
        assertThat(byVersion)
                .hasSameSizeAs(versions)
                .allMatch(PushOutcome.Accepted.class::isInstance);
        assertThat(byVersion).extracting(PushOutcome::version).containsExactlyElementsOf(versions);
        assertThat(byVersion)
                .extracting(PushOutcome::receivedAt)
                .isSortedAccordingTo(Comparator.naturalOrder())
                .doesNotHaveDuplicates();
        assertThat(announced)
                .filteredOn(c -> c.target().targetId().equals("cs-race"))
                .extracting(ConfigChange::version)
                .containsExactlyElementsOf(versions);
    }

    /**
     * A push compares section fingerprints; a version stored before they were kept (V20) has none,
     * and the push diffs its document instead, then stores fingerprints for the next one.
     */
    @Test
    void aVersionWithoutFingerprintsIsDiffedByItsDocumentAndTheNextByFingerprints() {
        pg.zoneTarget("cs-a", "cs-z5");
        store(push("cs-z5", "{\"dns\":1,\"tls\":{\"a\":1,\"b\":2}}", null));
        assertThat(digests("cs-z5", 1)).isNotNull().contains("\"tls\"");
        pg.execute("update config_snapshots set section_digests = null where target_id = 'cs-z5'");

        PushOutcome second = store(push("cs-z5", "{\"dns\":2,\"tls\":{\"b\":2,\"a\":1}}", null));
        PushOutcome third = store(push("cs-z5", "{\"tls\":{\"a\":1,\"b\":3},\"dns\":2}", null));
        PushOutcome same = store(push("cs-z5", "{\"dns\":2,\"tls\":{\"b\":3,\"a\":1}}", null));

        assertThat(second.changedSections()).containsExactly("dns");
        assertThat(digests("cs-z5", 2)).isNotNull();
        assertThat(third.changedSections()).containsExactly("tls");
        assertThat(same).isInstanceOf(PushOutcome.Unchanged.class);
        assertThat(same.version()).isEqualTo(3);
    }

    private static @Nullable String digests(String zone, long version) {
        return Jdbi.create(pg.dataSource())
                .withHandle(
                        h ->
                                h.createQuery(
                                                "select section_digests::text from"
                                                        + " config_snapshots where target_id = :t"
                                                        + " and version = :v")
                                        .bind("t", zone)
                                        .bind("v", version)
                                        .mapTo(String.class)
                                        .one());
    }

    /**
     * A batch's documents reach PostgreSQL inside one text[] literal, escaped by the driver:
     * documents whose strings hold quotes, backslashes, escapes, braces and text outside ASCII are
     * stored as the trees sent, each under its own target, and pushed again they compare equal by
     * their stored fingerprints.
     */
    @Test
    void aBatchStoresEveryDocumentAsSentWhateverItsStringsHold() {
        List<String> docs =
                List.of(
                        "{\"dns\":[{\"name\":\"a\\\"},{\\\"b\",\"ttl\":1}],\"tls\":\"\\\\\"}",
                        "{\"waf\":{\"note\":\"line\\nbreak\\ttab \\u0001 ' é中😀\"},\"k\":[]}",
                        "{\"settings\":{\"z\":null,\"a\":1.25,\"m\":true}}");
        List<SnapshotPush> pushes = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            pg.zoneTarget("cs-f", "cs-f" + i);
            pushes.add(push("cs-f" + i, JSON.writeValueAsString(JSON.readTree(docs.get(i))), null));
        }

        List<BatchOutcome> first = snapshots.pushAll(pushes, (c, d) -> announced.add(c));
        List<BatchOutcome> again = snapshots.pushAll(pushes, (c, d) -> announced.add(c));

        assertThat(first)
                .allMatch(
                        o ->
                                o instanceof BatchOutcome.Pushed p
                                        && p.outcome() instanceof PushOutcome.Accepted);
        for (int i = 0; i < docs.size(); i++) {
            assertThat(JSON.readTree(snapshots.find("cs-f" + i, null).orElseThrow().document()))
                    .as("document %d read back", i)
                    .isEqualTo(JSON.readTree(docs.get(i)));
        }
        assertThat(again)
                .allMatch(
                        o ->
                                o instanceof BatchOutcome.Pushed p
                                        && p.outcome() instanceof PushOutcome.Unchanged);
        assertThat(announced).hasSize(docs.size());
    }

    @Test
    void anEqualDocumentIsUnchangedStoresNothingAndAnnouncesNothing() {
        pg.zoneTarget("cs-b", "cs-z2");
        store(push("cs-z2", "{\"dns\":1}", null));
        PushOutcome again = store(push("cs-z2", "{\"dns\":1}", null));

        assertThat(again).isInstanceOf(PushOutcome.Unchanged.class);
        assertThat(again.version()).isEqualTo(1);
        assertThat(announced).hasSize(1);
    }

    @Test
    void aVersionNotNewerThanTheStoredOneIsStale() {
        pg.zoneTarget("cs-c", "cs-z3");
        store(push("cs-z3", "{\"dns\":1}", 5L));

        assertThatThrownBy(() -> store(push("cs-z3", "{\"dns\":2}", 5L)))
                .isInstanceOf(StaleVersionException.class)
                .hasMessage(
                        "version 5 is not newer than the stored version 5 of target 'cs-z3'; the"
                                + " push is ignored");
    }

    @Test
    void aFailedAnnouncementLeavesTheVersionUnstoredSoARetryIsAnnounced() {
        pg.zoneTarget("cs-d", "cs-z4");
        assertThatThrownBy(
                        () ->
                                snapshots.push(
                                        push("cs-z4", "{\"dns\":1}", null),
                                        (change, document) -> {
                                            throw new IllegalStateException("broker down");
                                        }))
                .hasMessage("broker down");
        assertThat(snapshots.find("cs-z4", null)).isEmpty();

        assertThat(store(push("cs-z4", "{\"dns\":1}", null)).version()).isEqualTo(1);
        assertThat(announced).hasSize(1);
    }

    @Test
    void aPushForAnAccountIdAsAZoneNamesNoTarget() {
        pg.accountTarget("cs-e");
        assertThatThrownBy(() -> store(push("cs-e", "{}", null)))
                .isInstanceOf(UnknownTargetException.class)
                .hasMessage("no zone target 'cs-e' (unknown or deleted)");
    }

    @Test
    void theVersionRingAndItsToastAreVacuumedAtOnePercentDead() {
        // V21: autovacuum visits the ring in small runs during a burst, not once at 20 % dead
        List<String> options =
                Jdbi.create(pg.dataSource())
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        """
                                                        select unnest(c.reloptions) from pg_class c
                                                        where c.relname = 'config_snapshots'
                                                        union all
                                                        select 'toast.' || unnest(t.reloptions)
                                                        from pg_class c
                                                        join pg_class t on t.oid = c.reltoastrelid
                                                        where c.relname = 'config_snapshots'
                                                        """)
                                                .mapTo(String.class)
                                                .list());

        assertThat(options)
                .containsExactlyInAnyOrder(
                        "autovacuum_vacuum_scale_factor=0.01",
                        "autovacuum_vacuum_threshold=1000",
                        "toast.autovacuum_vacuum_scale_factor=0.01",
                        "toast.autovacuum_vacuum_threshold=1000");
    }
}
