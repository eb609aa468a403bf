package dev.vigil.alerts;

import dev.vigil.app.Wiring;
import dev.vigil.testing.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Starts dispatchers with short timings over a test database and closes them after each test. */
final class DispatcherTesting implements AutoCloseable {

    static final URI DASHBOARD = URI.create("https://vigil.example/dashboard/");

    /** Polls every 20 ms, holds a claim 60 s, retries after at most 10–100 ms. */
    static final DispatcherConfig FAST =
            new DispatcherConfig(
                    Duration.ofMillis(20),
                    Duration.ofSeconds(60),
                    Duration.ofMillis(10),
                    Duration.ofMillis(100),
                    Duration.ofHours(24),
                    4,
                    DispatcherConfig.DEFAULT_GROUP_BATCH,
                    DASHBOARD,
                    Duration.ofSeconds(2));

    private final TestPostgres pg;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AlertDispatcher> started = new ArrayList<>();

    DispatcherTesting(TestPostgres pg) {
        this.pg = pg;
    }

    AlertDispatcher start(Sender sender, DispatcherConfig config, Optional<SecretBox> box) {
        AlertDispatcher d =
                Wiring.alerts(
                        pg.dataSource(),
                        sender,
                        config,
                        box,
                        AlertMetrics.on(registry, pg.dataSource()));
        started.add(d);
        return d;
    }

    @Override
    public void close() {
        for (AlertDispatcher d : started.reversed()) {
            d.close();
        }
        started.clear();
    }
}
