package dev.vigil.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.results.Database;
import dev.vigil.testing.TestPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The relay's claim is planned once per connection and the plan reused on every later pass: a claim
 * planned per pass cost more in planning (the audit log's and the insights' partitions) than in
 * running. Read from PostgreSQL's own count of the generic and custom plans of the connection's
 * prepared statements.
 */
class OutboxClaimPlanIT {

    private static final int PASSES = 12;

    @Test
    void theClaimReusesOnePlan() {
        try (TestPostgres pg = TestPostgres.start()) {
            RelayRuns.addZone1(pg.dataSource());
            RelayRuns.openTwo(pg.dataSource());
            // One connection, so every pass runs on the session whose statements are counted.
            try (HikariDataSource one =
                    Database.pool(
                            pg.jdbcUrl(),
                            pg.user(),
                            pg.password(),
                            1,
                            Duration.ofSeconds(10),
                            Duration.ofMinutes(1))) {
                Jdbi jdbi = Jdbi.create(one);
                for (int k = 0; k < PASSES; k++) {
                    List<InsightEventOutbox.Queued> claimed =
                            jdbi.inTransaction(
                                    h -> {
                                        List<InsightEventOutbox.Queued> rows =
                                                InsightEventOutbox.claim(h, 500);
                                        h.rollback();
                                        return rows;
                                    });
                    assertThat(claimed).hasSize(2);
                }
                List<Map<String, Object>> claims =
                        jdbi.withHandle(
                                h ->
                                        h.createQuery(
                                                        "select generic_plans, custom_plans from"
                                                                + " pg_prepared_statements where"
                                                                + " statement like '%from"
                                                                + " insight_event_outbox%for"
                                                                + " update%'")
                                                .mapToMap()
                                                .list());

                assertThat(claims).hasSize(1);
                assertThat(((Number) claims.get(0).get("custom_plans")).longValue()).isZero();
                // pgjdbc prepares on the server from the fifth run on; each later run reuses.
                assertThat(((Number) claims.get(0).get("generic_plans")).longValue())
                        .isEqualTo(PASSES - 4);
            }
        }
    }
}
