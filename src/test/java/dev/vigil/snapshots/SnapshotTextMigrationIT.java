package dev.vigil.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.inventory.Migrations;
import dev.vigil.inventory.TargetKind;
import dev.vigil.snapshots.internal.SectionDigests;
import dev.vigil.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * V28 turns the stored documents and their fingerprints from jsonb into text. A version stored
 * before it, as jsonb, is read back after it as jsonb rendered it; its fingerprints still tell the
 * next push which sections it changes (the same document again is unchanged, a changed section is
 * named alone); and the documents' column compresses with lz4 exactly when the server has lz4.
 */
class SnapshotTextMigrationIT {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void versionsStoredAsJsonbAreReadAndComparedAsTextAfterTheMigration() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            TestPostgres.migrateTo(pg.dataSource(), "27");
            Jdbi jdbi = Jdbi.create(pg.dataSource());
            String doc = "{\"tls\":{\"min\":\"1.2\",\"hsts\":true},\"dns\":[{\"name\":\"a\"}]}";
            // Version 1 as the code before V28 stored it: both columns cast to jsonb.
            jdbi.useHandle(
                    h -> {
                        h.execute(
                                """
                                insert into targets (target_id, kind, account_id, zone_id, name,
                                                     plan, next_due_at)
                                values ('mz', 'zone', 'ma', 'mz', 'mz.example', 'pro', now())
                                """);
                        h.createUpdate(
                                        """
                                        insert into config_snapshots (target_id, version, document,
                                                                      changed_sections,
                                                                      section_digests)
                                        values ('mz', 1, cast(:doc as jsonb), '{}',
                                                cast(:digests as jsonb))
                                        """)
                                .bind("doc", doc)
                                .bind(
                                        "digests",
                                        SectionDigests.toJson(
                                                SectionDigests.of(JSON.readTree(doc))))
                                .execute();
                    });

            Migrations.apply(pg.dataSource());

            assertThat(columnTypes(jdbi))
                    .containsExactlyInAnyOrder("document text", "section_digests text");
            ConfigSnapshots after = ConfigSnapshots.of(jdbi);
            assertThat(after.find("mz", 1L).orElseThrow().document())
                    .as("a jsonb version, rendered once by the migration")
                    .isEqualTo(
                            "{\"dns\": [{\"name\": \"a\"}], \"tls\": {\"min\": \"1.2\", \"hsts\": true}}");
            assertThat(after.push(push(doc), (change, document) -> {}))
                    .as("the old fingerprints, now text, still match the same document")
                    .isInstanceOf(PushOutcome.Unchanged.class);
            String changed = "{\"tls\":{\"min\":\"1.3\",\"hsts\":true},\"dns\":[{\"name\":\"a\"}]}";
            PushOutcome second = after.push(push(changed), (change, document) -> {});
            assertThat(second.version()).isEqualTo(2);
            assertThat(second.changedSections()).containsExactly("tls");
            assertThat(after.find("mz", 2L).orElseThrow().document()).isEqualTo(changed);

            String compression =
                    jdbi.withHandle(
                            h ->
                                    h.createQuery(
                                                    """
                                                    select attcompression from pg_attribute
                                                    where attrelid = 'config_snapshots'::regclass
                                                      and attname = 'document'
                                                    """)
                                            .mapTo(String.class)
                                            .one());
            assertThat(compression)
                    .as("lz4 where the server has it, else the default (pglz)")
                    .isEqualTo(serverHasLz4(pg) ? "l" : "");
        }
    }

    private static SnapshotPush push(String doc) {
        return new SnapshotPush(
                TargetKind.ZONE,
                "mz",
                doc,
                DocumentFingerprints.of(JSON.readTree(doc)),
                null,
                null);
    }

    private static List<String> columnTypes(Jdbi jdbi) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                                        select column_name || ' ' || data_type
                                        from information_schema.columns
                                        where table_name = 'config_snapshots'
                                          and column_name in ('document', 'section_digests')
                                        """)
                                .mapTo(String.class)
                                .list());
    }

    /** Whether the server was built with lz4: a column declared with it is refused otherwise. */
    private static boolean serverHasLz4(EmbeddedPostgres pg) throws SQLException {
        try (Connection c = pg.dataSource().getConnection();
                Statement st = c.createStatement()) {
            st.execute("create temporary table lz4_probe (x text compression lz4)");
            return true;
        } catch (SQLException e) {
            if ("0A000".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }
}
