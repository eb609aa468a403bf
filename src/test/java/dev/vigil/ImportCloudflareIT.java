package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.Env;
import dev.vigil.testing.TestPostgres;
import dev.vigil.testing.cloudflare.CloudflareStub;
import dev.vigil.testing.cloudflare.StubFleet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil import --from cloudflare} against the stub API: the inventory gets every account and
 * zone with its plan and asset count, and a second run after a zone vanished retires it and
 * resolves its open insights, each with an audit entry.
 */
class ImportCloudflareIT {
    static TestPostgres pg;
    static Jdbi jdbi;

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
        jdbi = Jdbi.create(pg.dataSource());
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    record Run(int exit, String out, String err) {}

    static Run importFrom(CloudflareStub stub) {
        ImportCommand c = new ImportCommand();
        picocli.CommandLine.populateCommand(c, "--from", "cloudflare", "--api-url", stub.baseUrl());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Env env =
                Env.of(
                        Map.of(
                                "VIGIL_DATABASE_URL", pg.jdbcUrl(),
                                "VIGIL_DATABASE_USER", pg.user(),
                                "VIGIL_DATABASE_PASSWORD", pg.password(),
                                "CLOUDFLARE_API_TOKEN", StubFleet.TOKEN,
                                "VIGIL_CLOUDFLARE_REQUESTS_PER_SECOND", "200"));
        int exit =
                c.run(
                        env,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        false);
        return new Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String plan(String id) {
        return jdbi.withHandle(
                h ->
                        h.createQuery("select plan from targets where target_id = :id")
                                .bind("id", id)
                                .mapTo(String.class)
                                .one());
    }

    static long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void importCreatesTheInventoryAndASecondRunRetiresTheZoneThatVanished() {
        StubFleet fleet = StubFleet.standard();
        String gone = "89cd3170aac63df4ba746d42edd08024"; // acme-cdn.example, pro
        String account = "1219410d6225a32b479683cbdf88374d";
        try (CloudflareStub stub = CloudflareStub.start(fleet)) {
            Run first = importFrom(stub);

            assertThat(first.exit()).as(first.err()).isZero();
            assertThat(first.out()).contains("3 accounts, 7 zones").contains("added=10");
            assertThat(count("select count(*) from targets where deleted_at is null"))
                    .isEqualTo(10);
            assertThat(plan(gone)).isEqualTo("pro");
            assertThat(plan(account)).isEqualTo("enterprise");
            long records = fleet.dnsRecordCount(gone);
            assertThat(count("select asset_count from targets where target_id = '" + gone + "'"))
                    .isGreaterThanOrEqualTo(records);
            // an open insight on the zone that is about to vanish, and one on a zone that stays
            for (String zone : List.of(gone, "6c1e89a88d2c0416dddd3f36b9b5540e")) {
                jdbi.useHandle(
                        h ->
                                h.createUpdate(
                                                """
                                                insert into insights (account_id, zone_id, check_id, resource_key, severity,
                                                    issue_type, subject, message, status, first_seen_at, last_seen_at, last_scan_id)
                                                values (:a, :z, 'tls.ssl_off', 'zone', 'critical', 'insecure_configuration',
                                                        'x', 'ssl off', 'open', now(), now(), gen_random_uuid())
                                                """)
                                        .bind("a", account)
                                        .bind("z", zone)
                                        .execute());
            }

            stub.fleet().removeZone(gone);
            Run second = importFrom(stub);

            assertThat(second.exit()).as(second.err()).isZero();
            assertThat(second.out()).contains("retired=1").contains("insights_resolved=1");
            assertThat(count("select count(*) from targets where deleted_at is null")).isEqualTo(9);
            assertThat(
                            count(
                                    "select count(*) from targets where deleted_at is not null and target_id = '"
                                            + gone
                                            + "'"))
                    .isEqualTo(1);
            assertThat(
                            count(
                                    "select count(*) from insights where status = 'resolved' and zone_id = '"
                                            + gone
                                            + "'"))
                    .isEqualTo(1);
            assertThat(count("select count(*) from insights where status = 'open'")).isEqualTo(1);
            assertThat(
                            count(
                                    "select count(*) from audit_log where action = 'resolved'"
                                            + " and changed_by = 'cloudflare-discovery' and zone_id = '"
                                            + gone
                                            + "' and detail->>'reason' = 'zone no longer listed by the source'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void aListingTheTokenMayNotReadChangesNothing() {
        try (CloudflareStub stub = CloudflareStub.start(StubFleet.standard())) {
            stub.faults().forbid("/zones");
            long before = count("select count(*) from targets");

            Run run = importFrom(stub);

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.err())
                    .contains("cannot list accounts and zones")
                    .contains("permission_denied");
            assertThat(count("select count(*) from targets")).isEqualTo(before);
        }
    }
}
