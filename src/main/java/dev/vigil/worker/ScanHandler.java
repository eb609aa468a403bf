package dev.vigil.worker;

import dev.vigil.checks.BrokenDocumentException;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.events.Lane;
import dev.vigil.events.ScanRequest;
import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.results.ScanResult;
import dev.vigil.sources.ConfigDocument;
import dev.vigil.sources.ConfigSource;
import dev.vigil.sources.FetchBudget;
import dev.vigil.sources.Fetched;
import dev.vigil.sources.PermanentSourceException;
import dev.vigil.telemetry.Traced;
import dev.vigil.telemetry.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one scan request of its lane (the consumer dropped the other lane's): fetch the target's
 * configuration, evaluate the rule set in force for it ({@link RolloutScans}), send the complete
 * result to the results API. A fast-lane worker fetches within the lane's budget ({@link
 * LaneLimits}): when the source stops a fetch at the budget (a larger document, a slower exchange),
 * the worker re-publishes the request marked slow and moves on, and the slow lane fetches the
 * document, once. A document the source returned in full, however large or slow, is evaluated where
 * it is: it is never fetched twice. Its scan duration tells the scheduler's classifier to pick the
 * slow lane next time.
 *
 * <p>Idempotent: a replayed request fetches and evaluates again, and the results API ignores a
 * result that is not newer than the last one it applied. Thread-safe.
 */
public final class ScanHandler implements ResilientHandler.Work {
    private static final Logger log = LoggerFactory.getLogger(ScanHandler.class);
    private final Lane lane;
    private final ScanRequestCodec codec;
    private final ConfigSource source;
    private final RuleSetHolder rules;
    private final Consumer<ScanResult> results;
    private final ScanRequestPublisher republisher;
    private final LaneLimits limits;
    private final Tracing tracing;
    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong movedToSlow = new AtomicLong();
    private final AtomicLong findings = new AtomicLong();
    private final ScanTimings timings = new ScanTimings();

    /**
     * When a fast-lane worker hands a target to the slow lane: a document larger than {@code
     * maxDocumentBytes}, or a fetch slower than {@code maxFetchTime}.
     */
    public record LaneLimits(int maxDocumentBytes, Duration maxFetchTime) {
        public static final LaneLimits DEFAULT =
                new LaneLimits(4 * 1024 * 1024, Duration.ofSeconds(5));

        /** The budget a fast-lane fetch runs within. */
        public FetchBudget budget() {
            return new FetchBudget(maxDocumentBytes, maxFetchTime);
        }
    }

    public ScanHandler(
            Lane lane,
            ScanRequestCodec codec,
            ConfigSource source,
            RuleSetHolder rules,
            Consumer<ScanResult> results,
            ScanRequestPublisher republisher,
            LaneLimits limits) {
        this(lane, codec, source, rules, results, republisher, limits, Tracing.noop());
    }

    /** As the other constructor; the rule evaluation of each scan runs under a span of its own. */
    public ScanHandler(
            Lane lane,
            ScanRequestCodec codec,
            ConfigSource source,
            RuleSetHolder rules,
            Consumer<ScanResult> results,
            ScanRequestPublisher republisher,
            LaneLimits limits,
            Tracing tracing) {
        this.tracing = tracing;
        this.lane = lane;
        this.codec = codec;
        this.source = source;
        this.rules = rules;
        this.results = results;
        this.republisher = republisher;
        this.limits = limits;
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) {
        long t0 = System.nanoTime();
        ScanRequest request = codec.decode(record.value());
        Fetched fetched =
                lane == Lane.FAST
                        ? source.fetch(request.target(), limits.budget())
                        : new Fetched.Document(source.fetch(request.target()));
        long t1 = System.nanoTime();
        timings.addFetch(t1 - t0);
        ConfigDocument doc;
        switch (fetched) {
            case Fetched.Document d -> doc = d.document();
            case Fetched.OverBudget o -> {
                republisher.publishAll(List.of(request.inLane(Lane.SLOW)));
                movedToSlow.incrementAndGet();
                log.debug("target {} handed to the slow lane: {}", request.targetId(), o.reason());
                return;
            }
        }
        ScanResult result;
        try (Traced t = tracing.open("evaluate rules", SpanKind.INTERNAL)) {
            t.span().setAttribute("vigil.scan_id", request.scanId().toString());
            t.span().setAttribute("vigil.target_id", request.targetId());
            result =
                    RolloutScans.evaluate(
                            rules,
                            new ScanEvaluation(
                                    request.scanId(),
                                    request.target(),
                                    request.changedSections(),
                                    doc.fetchedAt()),
                            doc.json());
            t.span().setAttribute("vigil.findings", result.findings().size());
        } catch (BrokenDocumentException e) {
            // A source checks how a body opens; the decode is where the rest of a broken document
            // shows: the source's failure, found late. Fetching it again would bring the same
            // bytes: permanent, dead-lettered. Anything else thrown here is a bug and stays one.
            throw new PermanentSourceException(
                    request.targetId(),
                    "the document fetched for target "
                            + request.targetId()
                            + " ("
                            + doc.json().length
                            + " bytes) cannot be evaluated: "
                            + e.getMessage(),
                    e);
        }
        long t2 = System.nanoTime();
        // fetch and evaluation, what decides the target's lane next time (not the results call)
        result = result.withDurationMs((t2 - t0) / 1_000_000);
        results.accept(result);
        long t3 = System.nanoTime();
        timings.addEvaluate(t2 - t1);
        timings.addSubmit(t3 - t2);
        timings.processing().recordMicros((t3 - t0) / 1000);
        timings.endToEnd().record(Duration.between(request.requestedAt(), Instant.now()));
        scanned.incrementAndGet();
        findings.addAndGet(result.findings().size());
        log.debug(
                "scanned target {} (scan {}): {} findings in {} ms",
                request.targetId(),
                request.scanId(),
                result.findings().size(),
                (t3 - t0) / 1_000_000);
    }

    public long scanned() {
        return scanned.get();
    }

    /** The lane whose requests this handler executes. */
    public Lane lane() {
        return lane;
    }

    public long movedToSlow() {
        return movedToSlow.get();
    }

    /** Latencies and stage times of the scans done so far. */
    public ScanTimings timings() {
        return timings;
    }

    public long findings() {
        return findings.get();
    }
}
