package dev.vigil.app;

import dev.vigil.alerts.DispatcherConfig;
import dev.vigil.alerts.HostResolver;
import dev.vigil.alerts.SecretBox;
import dev.vigil.alerts.SenderConfig;
import dev.vigil.alerts.Senders;
import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.api.InventorySettings;
import dev.vigil.dashboard.DashboardRoutes;
import dev.vigil.events.InsightEventSettings;
import dev.vigil.inventory.Inventory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The api role of {@link LocalPipeline}, as {@code Roles.api} builds it: the API server with the
 * dashboard, the alert dispatcher with its senders beside it, and the insight-event relay.
 */
final class LocalApi {

    private LocalApi() {}

    /**
     * Starts the API and the alert dispatcher, owned by {@code lc} (the dispatcher closes first).
     *
     * @param pushed where the API's config pushes go, for the simulated config owner to serve
     */
    static ApiServer start(
            Lifecycle lc,
            LocalPipeline.Options o,
            DataSource db,
            Inventory inventory,
            LocalMetrics metrics,
            Wiring.Kafka kafka,
            Map<String, byte[]> pushed) {
        // the pipeline's database lives no longer than this key
        SecretBox secrets = SecretBox.from(o.alerts()).orElseGet(SecretBox::random);
        ApiServer api =
                lc.own(
                        "api",
                        Wiring.api(
                                // one token drives the demo's and benchmarks' load: no per-token
                                // limit
                                ApiServer.Options.of(
                                                ApiSettings.defaults()
                                                        .withPort(o.apiPort())
                                                        .withRequestsPerTokenPerMinute(0),
                                                db)
                                        .withChanges(
                                                (change, document) ->
                                                        pushed.put(
                                                                change.target().targetId(),
                                                                document))
                                        .withInventory(
                                                new InventorySettings(
                                                        o.intervals(),
                                                        null,
                                                        Wiring.lanes(o.scheduler()),
                                                        InventorySettings
                                                                .DEFAULT_ON_DEMAND_PER_MINUTE),
                                                inventory)
                                        .withExtras(
                                                List.of(DashboardRoutes::register, metrics::api))
                                        .withTracing(o.tracing())
                                        .withAlertSecrets(secrets),
                                kafka));
        Senders senders =
                lc.own(
                        "alert senders",
                        Senders.create(
                                SenderConfig.from(o.alerts()),
                                HostResolver.system(),
                                Clock.systemUTC()));
        lc.own(
                "alert dispatcher",
                Wiring.alerts(
                        db,
                        senders,
                        DispatcherConfig.from(o.alerts(), api.baseUrl()),
                        Optional.of(secrets),
                        metrics.alerts(db)));
        // the same settings source as the alerts: the demo's environment
        lc.own(
                "insight-event relay",
                Wiring.insightEvents(
                        db, kafka, InsightEventSettings.from(o.alerts()), metrics.registry()));
        return api;
    }
}
