package dev.vigil.app;

import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.api.ConfigChangeSink;
import dev.vigil.api.InventorySettings;
import dev.vigil.api.ScanRequester;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.scheduling.LaneClassifier;
import io.javalin.config.JavalinConfig;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The local pipeline's API server (demo and benchmarks): pushes announced on the local broker,
 * on-demand scans published there in the lane the scheduler's classifier picks, the routes of
 * {@code extras} (dashboard, metrics) on the same server.
 */
final class LocalApi {

    private LocalApi() {}

    static ApiServer start(
            LocalPipeline.Options o,
            DataSource db,
            ConfigChangeSink sink,
            ScanRequestPublisher publisher,
            List<Consumer<JavalinConfig>> extras) {
        return ApiServer.start(
                // one token drives the demo's and benchmarks' load: no per-token limit
                ApiServer.Options.of(
                                ApiSettings.defaults()
                                        .withPort(o.apiPort())
                                        .withRequestsPerTokenPerMinute(0),
                                db)
                        .withChanges(sink)
                        .withInventory(
                                new InventorySettings(
                                        o.intervals(),
                                        ScanRequester.kafka(publisher),
                                        new LaneClassifier(
                                                o.scheduler().slowAssetThreshold(),
                                                o.scheduler().slowDurationThreshold()),
                                        InventorySettings.DEFAULT_ON_DEMAND_PER_MINUTE))
                        .withExtras(extras));
    }
}
