package dev.vigil.app;

import dev.vigil.checks.RuleSetHolder;
import dev.vigil.config.Env;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Lane;
import dev.vigil.results.ResultsClient;
import dev.vigil.sources.HttpConfigSource;
import dev.vigil.telemetry.Tracing;
import dev.vigil.worker.Worker;
import dev.vigil.worker.WorkerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A fast-lane worker process joining a running {@link LocalPipeline} mid-rollout, built as the
 * worker role builds one (its own rule holder, its own rollout client synced before it consumes,
 * its own producer and clients) through the one wiring; it joins the pipeline's consumer group.
 */
final class JoiningWorker implements AutoCloseable {
    private final Lifecycle lc = new Lifecycle();
    private final RuleSetHolder rules;
    private final Worker worker;

    JoiningWorker(LocalPipeline p) {
        try {
            String serviceToken =
                    dev.vigil.tokens.ApiTokens.create(p.database()).issueService("joining-worker");
            rules = lc.own("rules", RuleSetHolder.watching(null, Duration.ofSeconds(5)));
            lc.own(
                    "rule rollout",
                    Wiring.ruleRollout(
                            p.apiUrl(),
                            serviceToken,
                            rules,
                            LocalRules.SYNC_EVERY,
                            "joining-worker"));
            var producer =
                    lc.own("producer", KafkaClients.producer(p.kafkaBootstrap(), "vigil-joining"));
            var source =
                    lc.own(
                            "config source",
                            HttpConfigSource.create(
                                    p.configService().baseUrl(),
                                    Duration.ofSeconds(10),
                                    null,
                                    HttpConfigSource.DEFAULT_MAX_DOCUMENT_BYTES,
                                    HttpConfigSource.DEFAULT_MAX_PER_HOST,
                                    Tracing.noop()));
            ResultsClient results =
                    lc.own(
                            "results client",
                            ResultsClient.create(p.apiUrl(), serviceToken, Duration.ofSeconds(60)));
            Env defaults = Env.of(Map.of());
            Wiring.Scans scans =
                    new Wiring.Scans(
                            rules,
                            WorkerConfig.resultBatcher(results, defaults)::submit,
                            Tracing.noop(),
                            Clock.systemUTC());
            worker =
                    lc.own(
                            "worker",
                            Wiring.worker(
                                    new Wiring.Kafka(p.kafkaBootstrap(), p.topics(), producer),
                                    Lane.FAST,
                                    WorkerConfig.from(defaults),
                                    source,
                                    scans));
        } catch (RuntimeException e) {
            lc.close();
            throw e;
        }
    }

    RuleSetHolder rules() {
        return rules;
    }

    Worker worker() {
        return worker;
    }

    @Override
    public void close() {
        lc.close();
    }
}
