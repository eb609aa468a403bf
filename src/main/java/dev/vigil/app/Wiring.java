package dev.vigil.app;

import dev.vigil.alerts.AlertDispatcher;
import dev.vigil.alerts.AlertMetrics;
import dev.vigil.alerts.DispatcherConfig;
import dev.vigil.alerts.SecretBox;
import dev.vigil.alerts.Sender;
import dev.vigil.api.ApiServer;
import dev.vigil.api.ConfigChangeSink;
import dev.vigil.api.ScanRequester;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.events.ConfigChangeCodec;
import dev.vigil.events.ConfigChangePublisher;
import dev.vigil.events.InsightEventRelay;
import dev.vigil.events.InsightEventSettings;
import dev.vigil.events.Lane;
import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.events.Topics;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.PartitionSettings;
import dev.vigil.inventory.Partitions;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.results.EpisodeRollups;
import dev.vigil.results.ScanResult;
import dev.vigil.scheduling.DueClaimer;
import dev.vigil.scheduling.LagSignal;
import dev.vigil.scheduling.LaneClassifier;
import dev.vigil.scheduling.LeaderLock;
import dev.vigil.scheduling.Scheduler;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.scheduling.Watchdog;
import dev.vigil.scheduling.WatchdogConfig;
import dev.vigil.sources.BatchedSnapshots;
import dev.vigil.sources.ConfigSource;
import dev.vigil.sources.HttpConfigSource;
import dev.vigil.sources.SnapshotBatchClient;
import dev.vigil.sources.SnapshotConfigSource;
import dev.vigil.telemetry.Tracing;
import dev.vigil.worker.ChangeHandler;
import dev.vigil.worker.ChangeWorker;
import dev.vigil.worker.DeadLetterPublisher;
import dev.vigil.worker.RuleRolloutClient;
import dev.vigil.worker.ScanHandler;
import dev.vigil.worker.Worker;
import dev.vigil.worker.WorkerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.jspecify.annotations.Nullable;

/**
 * The one wiring of the pipeline: how the scheduler, the workers of each lane, the change workers
 * and the API are built from config records and infrastructure handles. The production roles
 * ({@link Roles}), the one-process pipeline of the demo ({@link LocalPipeline}), the benchmark
 * rigs, the chaos suite and the tests all call these factories, so what they run and measure is
 * what ships; only the infrastructure under them (embedded or real) differs.
 *
 * <p>Each factory starts what it returns (where it is a running component) and hands its ownership
 * to the caller, who closes it; the handles passed in stay the caller's.
 */
public final class Wiring {

    private Wiring() {}

    /**
     * The Kafka handles a role is wired to.
     *
     * @param bootstrap the brokers, for the role's consumers
     * @param topics the topic names (under the deployment's prefix)
     * @param producer the role's one producer: publishes, hand-offs and dead letters all go through
     *     it; the caller owns and closes it after what was wired to it
     */
    public record Kafka(String bootstrap, Topics topics, Producer<String, byte[]> producer) {}

    /**
     * What a worker evaluates with and where its results go, shared by both lanes and by the change
     * workers of one process (each path has its own source of documents).
     *
     * @param rules the current rule set
     * @param results where each complete result goes (the results API's client in production)
     * @param tracing spans for consumption, evaluation and the clients' calls
     * @param clock the time of dead letters and retries
     */
    public record Scans(
            RuleSetHolder rules, Consumer<ScanResult> results, Tracing tracing, Clock clock) {}

    /**
     * Starts a worker process's link to the rule rollout (issue 23): synced once with the API at
     * {@code api} before this returns (so the scans that follow apply the rollout in force), then
     * every {@code every}; the pushed versions replace {@code rules}' directory set while one is
     * pushed. The caller closes it before the workers that evaluate with {@code rules}.
     *
     * @throws dev.vigil.worker.RuleRolloutException when the first sync fails
     */
    public static RuleRolloutClient ruleRollout(
            URI api, String serviceToken, RuleSetHolder rules, Duration every, String role) {
        return RuleRolloutClient.start(
                api, serviceToken, rules, every, RuleRolloutClient.processWorkerId(role));
    }

    /** Scan requests published on the scan-request topic, each under a producer span. */
    public static ScanRequestPublisher scanRequests(Kafka kafka, Tracing tracing) {
        return new ScanRequestPublisher(
                kafka.producer(),
                ScanRequestCodec.create(),
                kafka.topics().scanRequests(),
                tracing);
    }

    /**
     * The lane thresholds of {@code config}: the scheduler's and the on-demand scans' classifier.
     */
    public static LaneClassifier lanes(SchedulerConfig config) {
        return new LaneClassifier(config.slowAssetThreshold(), config.slowDurationThreshold());
    }

    /**
     * Starts a scheduler blind to the workers' lag ({@link LagSignal#none()}): it claims due
     * targets of {@code ds} at the rate planned over {@code inventory} and {@code intervals}, gives
     * each the lane of {@link #lanes}, and publishes them through {@code publisher}, while it holds
     * the leader lock on {@code ds}.
     */
    public static Scheduler scheduler(
            DataSource ds,
            ScanRequestPublisher publisher,
            Inventory inventory,
            PlanIntervals intervals,
            SchedulerConfig config,
            Clock clock) {
        return scheduler(ds, publisher, inventory, intervals, config, clock, LagSignal.none());
    }

    /**
     * Starts a scheduler as {@link #scheduler(DataSource, ScanRequestPublisher, Inventory,
     * PlanIntervals, SchedulerConfig, Clock)} does, slowed down while {@code lag} (the caller's; a
     * {@link #lagSignal} in the roles) reports a lane over {@link SchedulerConfig#maxLag()}.
     */
    public static Scheduler scheduler(
            DataSource ds,
            ScanRequestPublisher publisher,
            Inventory inventory,
            PlanIntervals intervals,
            SchedulerConfig config,
            Clock clock,
            LagSignal lag) {
        return scheduler(
                ds, publisher, inventory, intervals, config, clock, lag, WatchdogConfig.DEFAULTS);
    }

    /**
     * Starts a scheduler as {@link #scheduler(DataSource, ScanRequestPublisher, Inventory,
     * PlanIntervals, SchedulerConfig, Clock, LagSignal)} does, whose leader runs the lost-scan
     * watchdog with {@code watchdog}'s settings (none when they turn it off).
     */
    public static Scheduler scheduler(
            DataSource ds,
            ScanRequestPublisher publisher,
            Inventory inventory,
            PlanIntervals intervals,
            SchedulerConfig config,
            Clock clock,
            LagSignal lag,
            WatchdogConfig watchdog) {
        return Scheduler.start(
                DueClaimer.create(ds, publisher, intervals, lanes(config), clock),
                LeaderLock.create(ds),
                inventory,
                intervals,
                config,
                lag,
                watchdog.enabled()
                        ? Watchdog.create(ds, publisher, lanes(config), watchdog, clock)
                        : null);
    }

    /**
     * Starts measuring the lag of both lanes' consumer groups on {@code kafka}'s scan-request topic
     * every {@code every}, for a scheduler; the caller closes it after the scheduler.
     */
    public static LaneLagSignal lagSignal(Kafka kafka, Duration every) {
        return LaneLagSignal.start(kafka.bootstrap(), kafka.topics().scanRequests(), every);
    }

    /**
     * The handler of one lane's scan requests, fetching from {@code source}; a fast-lane handler
     * hands a target over the {@code limits} to the slow lane through {@code handOff}.
     */
    public static ScanHandler scanHandler(
            Lane lane,
            ScanHandler.LaneLimits limits,
            ConfigSource source,
            Scans scans,
            ScanRequestPublisher handOff) {
        return new ScanHandler(
                lane,
                ScanRequestCodec.create(),
                source,
                scans.rules(),
                scans.results(),
                handOff,
                limits,
                scans.tracing());
    }

    /**
     * Starts the consumers of one lane on the scan-request topic, fetching documents from {@code
     * source}: slow targets of the fast lane are handed over on the same topic, failures that stay
     * failures are dead-lettered on the dead-letter topic.
     */
    public static Worker worker(
            Kafka kafka, Lane lane, WorkerConfig config, ConfigSource source, Scans scans) {
        ScanHandler handler =
                scanHandler(
                        lane,
                        config.laneLimits(),
                        source,
                        scans,
                        scanRequests(kafka, scans.tracing()));
        return Worker.start(
                kafka.bootstrap(),
                kafka.topics().scanRequests(),
                lane,
                config,
                handler,
                deadLetters(kafka),
                scans.clock(),
                scans.tracing());
    }

    /**
     * How change workers read the pushed snapshots that events do not carry inline: the fetches of
     * one poll gathered into one call of the API's batch route, each falling back to the single
     * route when the batch route cannot answer it. Both clients are owned by {@code lc}.
     */
    static ChangeHandler.Snapshots snapshots(
            Lifecycle lc, URI api, String serviceToken, Duration timeout, Tracing tracing) {
        SnapshotConfigSource single =
                lc.own(
                        "snapshot source",
                        SnapshotConfigSource.create(
                                api,
                                serviceToken,
                                timeout,
                                HttpConfigSource.DEFAULT_MAX_DOCUMENT_BYTES,
                                tracing));
        SnapshotBatchClient batch =
                lc.own(
                        "batch snapshot client",
                        SnapshotBatchClient.create(
                                api,
                                serviceToken,
                                timeout,
                                SnapshotBatchClient.DEFAULT_MAX_RESPONSE_BYTES,
                                tracing));
        BatchedSnapshots batched =
                new BatchedSnapshots(
                        batch::fetch,
                        single::fetch,
                        BatchedSnapshots.DEFAULT_LINGER,
                        BatchedSnapshots.DEFAULT_MAX_ITEMS);
        return batched::fetch;
    }

    /**
     * Starts the consumers of the config-change topic: each event's version is read from {@code
     * snapshots}, evaluated with {@code scans}' rules and sent to its results.
     */
    public static ChangeWorker changeWorker(
            Kafka kafka, WorkerConfig config, ChangeHandler.Snapshots snapshots, Scans scans) {
        return ChangeWorker.start(
                kafka.bootstrap(),
                kafka.topics().configChanges(),
                config,
                new ChangeHandler(
                        ConfigChangeCodec.create(),
                        snapshots,
                        scans.rules(),
                        scans.results(),
                        scans.tracing()),
                deadLetters(kafka),
                scans.clock(),
                scans.tracing());
    }

    /**
     * Starts the API server of {@code options}. With {@code kafka}, config pushes are announced on
     * its config-change topic (then told to {@code options.changes()}, if any: the demo's config
     * owner keeps the pushed document) and on-demand scans are published on its scan-request topic;
     * without, both answer 503.
     */
    public static ApiServer api(ApiServer.Options options, @Nullable Kafka kafka) {
        return api(options, kafka, ConfigChangePublisher.DEFAULT_INLINE_MAX_BYTES);
    }

    /**
     * As {@link #api(ApiServer.Options, Kafka)}, a pushed document of at most {@code
     * changeInlineMaxBytes} carried inline in its config-change event ({@code
     * VIGIL_CHANGE_INLINE_MAX_BYTES}; see {@link ConfigChangePublisher}).
     */
    public static ApiServer api(
            ApiServer.Options options, @Nullable Kafka kafka, int changeInlineMaxBytes) {
        return ApiServer.start(
                kafka == null ? options : onKafka(options, kafka, changeInlineMaxBytes));
    }

    /**
     * Starts the alert dispatcher of the api role (issue 19): it delivers what the results
     * transaction queued in {@code dataSource} (the primary's) through {@code sender}, counting on
     * {@code metrics} (the api role makes them at start, so the queue's gauges are exported whether
     * or not a dispatcher runs). Every api replica runs one; they share the work through their
     * claims. Close it before the data source.
     *
     * @param secrets the operator's key for the destinations' sealed secrets ({@link
     *     SecretBox#from}); empty refuses, saying so, every message to a destination with a secret
     */
    public static AlertDispatcher alerts(
            DataSource dataSource,
            Sender sender,
            DispatcherConfig config,
            Optional<SecretBox> secrets,
            AlertMetrics metrics) {
        return AlertDispatcher.start(dataSource, sender, config, secrets, metrics);
    }

    /**
     * The api role's partition upkeep ({@link Partitions}) and history rollups ({@link
     * EpisodeRollups}): its gauges registered on {@code registry}, a first pass started at once and
     * one every {@code settings.every()}; the caller closes it before the pool.
     */
    static PartitionUpkeep partitionUpkeep(
            DataSource db, PartitionSettings settings, Clock clock, MeterRegistry registry) {
        return PartitionUpkeep.on(
                        registry,
                        Partitions.create(db, settings, clock),
                        EpisodeRollups.create(db, clock, EpisodeRollups.DEFAULT_MONTHS_BACK))
                .start(settings);
    }

    /**
     * The api role's insight-event relay (issue 21): sets the database's queuing to {@code
     * settings.enabled()} and, when on, publishes the outbox that the write transactions fill to
     * {@code kafka}'s insight-events topic through its producer. The caller closes it before the
     * producer and the pool.
     */
    public static InsightEventRelay insightEvents(
            DataSource db, Kafka kafka, InsightEventSettings settings, MeterRegistry registry) {
        return InsightEventRelay.start(
                db, kafka.producer(), kafka.topics().insightEvents(), settings, registry);
    }

    private static ApiServer.Options onKafka(
            ApiServer.Options options, Kafka kafka, int changeInlineMaxBytes) {
        Tracing tracing = options.tracing();
        ConfigChangePublisher publisher =
                new ConfigChangePublisher(
                        kafka.producer(),
                        ConfigChangeCodec.create(),
                        kafka.topics().configChanges(),
                        tracing,
                        changeInlineMaxBytes);
        @Nullable ConfigChangeSink also = options.changes();
        ConfigChangeSink announce =
                (change, document) -> {
                    publisher.publish(change, document);
                    if (also != null) {
                        also.publish(change, document);
                    }
                };
        return options.withChanges(announce)
                .withInventory(
                        options.inventory()
                                .withScanRequester(
                                        ScanRequester.kafka(scanRequests(kafka, tracing))),
                        options.targets());
    }

    private static DeadLetterPublisher deadLetters(Kafka kafka) {
        return new DeadLetterPublisher(kafka.producer(), kafka.topics().deadLetters());
    }
}
