package dev.vigil.worker;

import dev.vigil.checks.RuleSetHolder;
import dev.vigil.events.ConfigChange;
import dev.vigil.events.ConfigChangeCodec;
import dev.vigil.events.InlineDocument;
import dev.vigil.inventory.Target;
import dev.vigil.results.ScanResult;
import dev.vigil.sources.ConfigDocument;
import dev.vigil.telemetry.Traced;
import dev.vigil.telemetry.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Executes one config-change event: take the pushed version it names (inline in the event when the
 * API put it there, schema v2; otherwise read from the API: a document over the inline limit, or a
 * v1 event), evaluate only the checks reading the changed sections (every check when it names none)
 * with the scheduled path's own step ({@link ScanEvaluation}), and send a result that lists only
 * those checks, scanned at the push time.
 *
 * <p>Ordering and staleness: events of one target arrive in version order (one key, one partition).
 * A result is applied only if its scan time is newer than the target's last applied result, so an
 * event older than what was already applied (a replay, or a scheduled scan that ran after the push)
 * changes nothing. The scan id is derived from target and version, so a replayed event is also
 * recognised as the same scan. Thread-safe.
 */
public final class ChangeHandler implements ResilientHandler.Work {

    /** Reads one exact version of a target's pushed document. */
    @FunctionalInterface
    public interface Snapshots {
        ConfigDocument fetch(Target target, long version);
    }

    private final ConfigChangeCodec codec;
    private final Snapshots snapshots;
    private final RuleSetHolder rules;
    private final Consumer<ScanResult> results;
    private final Tracing tracing;
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong checksRun = new AtomicLong();
    private final AtomicLong inlineDocuments = new AtomicLong();
    private final AtomicLong snapshotFetches = new AtomicLong();
    private final AtomicLong folded = new AtomicLong();

    public ChangeHandler(
            ConfigChangeCodec codec,
            Snapshots snapshots,
            RuleSetHolder rules,
            Consumer<ScanResult> results) {
        this(codec, snapshots, rules, results, Tracing.noop());
    }

    /**
     * As the other constructor; the evaluation of each event runs under a span of its own (the
     * snapshot fetch and the results call trace themselves when their clients do).
     */
    public ChangeHandler(
            ConfigChangeCodec codec,
            Snapshots snapshots,
            RuleSetHolder rules,
            Consumer<ScanResult> results,
            Tracing tracing) {
        this.codec = codec;
        this.snapshots = snapshots;
        this.rules = rules;
        this.results = results;
        this.tracing = tracing;
    }

    /** The scan id of a change: the same for every delivery of one target's version. */
    public static UUID scanId(ConfigChange change) {
        return UUID.nameUUIDFromBytes(
                ("config-change/" + change.target().targetId() + "/" + change.version())
                        .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) {
        apply(decode(record));
    }

    /** The event {@code record} carries; throws when it is not one. */
    ConfigChange decode(ConsumerRecord<String, byte[]> record) {
        return codec.decode(record.value());
    }

    /**
     * Evaluates {@code change} and sends its result: the work of one event, or of several versions
     * of one target folded into their newest ({@link ChangeChains}).
     */
    void apply(ConfigChange change) {
        Target t = change.target();
        ConfigDocument doc = document(change);
        UUID scanId = scanId(change);
        ScanResult result;
        try (Traced span = tracing.open("evaluate rules", SpanKind.INTERNAL)) {
            span.span().setAttribute("vigil.scan_id", scanId.toString());
            span.span().setAttribute("vigil.target_id", t.targetId());
            span.span().setAttribute("vigil.config_version", change.version());
            span.span()
                    .setAttribute(
                            "vigil.changed_sections", String.join(",", change.changedSections()));
            result =
                    evaluate(
                            rules,
                            scanId,
                            t,
                            change.changedSections(),
                            change.receivedAt(),
                            doc.json());
            span.span().setAttribute("vigil.findings", result.findings().size());
        }
        results.accept(result);
        changes.incrementAndGet();
        checksRun.addAndGet(result.evaluatedChecks().size() + result.erroredChecks().size());
    }

    /**
     * The evaluation of one change, as {@link #apply} runs it: {@code json} decoded for, and
     * evaluated with, only the checks reading {@code changedSections} (every check when none is
     * named) of the rule set in force for {@code target}. Public so that {@code vigil bench
     * changes} can time exactly this step against a full rescan.
     */
    public static ScanResult evaluate(
            RuleSetHolder rules,
            UUID scanId,
            Target target,
            List<String> changedSections,
            Instant scannedAt,
            byte[] json) {
        return RolloutScans.evaluate(
                rules, new ScanEvaluation(scanId, target, changedSections, scannedAt), json);
    }

    /** The document the change names: its inline copy, or else that version fetched. */
    private ConfigDocument document(ConfigChange change) {
        InlineDocument inline = change.document();
        if (inline != null) {
            inlineDocuments.incrementAndGet();
            return new ConfigDocument(
                    change.target(), inline.bytes(), Instant.now(), Duration.ZERO);
        }
        snapshotFetches.incrementAndGet();
        return snapshots.fetch(change.target(), change.version());
    }

    /**
     * Evaluations of change events sent (whether or not the results API applied them): one per
     * event, or one per chain of versions folded into their newest.
     */
    public long changes() {
        return changes.get();
    }

    /** Checks run over all change events: how much work the incremental path did. */
    public long checksRun() {
        return checksRun.get();
    }

    /** Change events whose document came inline, with no request to the API. */
    public long inlineDocuments() {
        return inlineDocuments.get();
    }

    /**
     * Counts {@code n} events folded into a newer version of their target ({@link ChangeChains}).
     */
    void folded(int n) {
        folded.addAndGet(n);
    }

    /**
     * Change events not evaluated on their own because a newer version of the same target was
     * queued in the same poll and evaluated in their place, with their changed sections: done, and
     * reflected in that version's result.
     */
    public long folded() {
        return folded.get();
    }

    /** Snapshot fetches made: change events without their document inline (large, or v1). */
    public long snapshotFetches() {
        return snapshotFetches.get();
    }
}
