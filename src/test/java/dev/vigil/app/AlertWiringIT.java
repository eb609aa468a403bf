package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.alerts.AlertDispatcher;
import dev.vigil.alerts.AlertMetrics;
import dev.vigil.alerts.DeliveryOutcome;
import dev.vigil.alerts.DispatcherConfig;
import dev.vigil.alerts.Sender;
import dev.vigil.config.Env;
import dev.vigil.telemetry.Metrics;
import dev.vigil.testing.TestPostgres;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * {@link Wiring#alerts}: the api role's dispatcher as the one wiring builds it, from the settings'
 * defaults, exporting the meters the stuck-outbox alert rule reads.
 */
class AlertWiringIT {

    @Test
    void theWiredDispatcherDeliversAndExportsItsMeters() {
        try (TestPostgres pg = TestPostgres.start()) {
            Jdbi jdbi = Jdbi.create(pg.dataSource());
            long mailbox =
                    jdbi.withHandle(
                            h ->
                                    h.createQuery(
                                                    "insert into alert_destinations (account_id,"
                                                            + " name, kind, recipients) values"
                                                            + " ('acc1', 'ops', 'email',"
                                                            + " array['ops@example.com'])"
                                                            + " returning destination_id")
                                            .mapTo(Long.class)
                                            .one());
            UUID id = UUID.randomUUID();
            jdbi.useHandle(
                    h ->
                            h.execute(
                                    "insert into alert_messages (message_id, account_id,"
                                            + " destination_id, test, events)"
                                            + " values (?, 'acc1', ?, true, 1)",
                                    id,
                                    mailbox));
            List<UUID> sent = new CopyOnWriteArrayList<>();
            Sender sender =
                    (message, destination) -> {
                        sent.add(message.messageId());
                        return new DeliveryOutcome.Delivered(null, Duration.ofMillis(2));
                    };
            PrometheusMeterRegistry registry = Metrics.forRole("api");
            DispatcherConfig config =
                    DispatcherConfig.from(
                            Env.of(Map.of("VIGIL_ALERT_POLL", "20ms")),
                            URI.create("http://127.0.0.1:8080"));

            try (AlertDispatcher d =
                    Wiring.alerts(
                            pg.dataSource(),
                            sender,
                            config,
                            Optional.empty(),
                            AlertMetrics.on(registry, pg.dataSource()))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> sent.contains(id));
                await().atMost(Duration.ofSeconds(60))
                        .until(
                                () ->
                                        registry.scrape()
                                                .contains(
                                                        "vigil_alert_deliveries_total{destination_type=\"email\",outcome=\"delivered\",role=\"api\"} 1.0"));
            }
            String scrape = registry.scrape();
            assertThat(scrape)
                    .contains(
                            "vigil_alert_queue_depth{",
                            "vigil_alert_oldest_undelivered_seconds{",
                            "vigil_alert_attempt_duration_seconds_bucket{",
                            "vigil_alert_delivery_latency_seconds_bucket{");
        }
    }
}
