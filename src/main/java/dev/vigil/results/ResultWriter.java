package dev.vigil.results;

import dev.vigil.results.internal.Admission;
import dev.vigil.results.internal.AppliedScan;
import dev.vigil.results.internal.BatchApply;
import dev.vigil.results.internal.FindingsUpsert;
import dev.vigil.results.internal.ScanTransaction;
import dev.vigil.results.internal.SupersededScans;
import dev.vigil.results.internal.UpsertCounts;
import dev.vigil.telemetry.Traced;
import dev.vigil.telemetry.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;

/**
 * Applies scan results to PostgreSQL, each in one transaction: lock the target; drop the result if
 * it is replayed, or record it as superseded if a newer scan was applied first; upsert present
 * findings (new → open, resolved → reopened, dismissed kept); resolve open insights of evaluated
 * checks that are absent (errored checks untouched); record the scan; audit every state change;
 * advance the target's watermark. Nothing is written if any step fails.
 *
 * <p>The write path is chosen by size while the findings stream in: up to {@code unnestThreshold}
 * findings are buffered and written with one array-bound statement; past it, the buffered findings
 * and the rest of the stream go through {@code COPY}: straight into {@code insights} when the
 * target has none yet (its first scan), else into the reused {@code insight_staging} table, from
 * which existing insights are updated and new ones inserted. Buffered context values count too:
 * past {@link #UNNEST_CONTEXT_BUDGET} of them the call takes the COPY path however few its
 * findings, so memory is bounded by the threshold and the budget whatever the result's size.
 *
 * <p>Thread-safe: each call uses its own connection from the pool. Calls for the same target are
 * serialised by the target row lock, which is held while the findings are read (a slow sender
 * delays only later results of its own target).
 *
 * <p>Each call is a client span (the database write), a child of the current span: under the API,
 * the ingestion's server span, so the write is in the trace of the scan that produced the result.
 */
public final class ResultWriter {

    /**
     * Default crossover from the unnest path to COPY (DESIGN.md measured 1,000–5,000 rows). 1,000
     * since both paths write only what changed: {@code vigil bench write} of 2026-12-05 13:04 UTC
     * found COPY faster at 1,000 findings both on a fresh target (29.8 against 35.5 ms) and on a
     * steady rescan (17.9 against 23.4 ms), and at every larger size measured.
     */
    public static final int DEFAULT_UNNEST_THRESHOLD = 1_000;

    /**
     * Context values (see {@link ResultFinding#context()}) buffered for the unnest path at most:
     * past it a call goes through COPY, which holds one finding at a time, so a few findings with
     * huge contexts cannot fill the heap.
     */
    public static final int UNNEST_CONTEXT_BUDGET = 100_000;

    /** Default cap on findings per call: the largest result Vigil is built to take in one call. */
    public static final int DEFAULT_MAX_FINDINGS = 500_000;

    private final Jdbi jdbi;
    private final int unnestThreshold;
    private final long maxFindings;
    private final Tracing tracing;

    private ResultWriter(Jdbi jdbi, int unnestThreshold, long maxFindings, Tracing tracing) {
        this.tracing = tracing;
        this.jdbi = jdbi;
        this.unnestThreshold = unnestThreshold;
        this.maxFindings = maxFindings;
    }

    /**
     * A writer over {@code dataSource} (which must reach the primary; see {@link Database}).
     *
     * @throws IllegalArgumentException when the threshold is negative or the cap is below 1
     */
    public static ResultWriter create(
            DataSource dataSource, int unnestThreshold, long maxFindings) {
        return create(dataSource, unnestThreshold, maxFindings, Tracing.noop());
    }

    /** As {@link #create(DataSource, int, long)}, tracing each write with {@code tracing}. */
    public static ResultWriter create(
            DataSource dataSource, int unnestThreshold, long maxFindings, Tracing tracing) {
        if (unnestThreshold < 0 || maxFindings < 1) {
            throw new IllegalArgumentException(
                    "unnest threshold must be >= 0 and max findings >= 1, got "
                            + unnestThreshold
                            + " and "
                            + maxFindings);
        }
        return new ResultWriter(jdbi(dataSource), unnestThreshold, maxFindings, tracing);
    }

    static Jdbi jdbi(DataSource dataSource) {
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        return jdbi;
    }

    /** Applies a result held in memory. */
    public WriteOutcome apply(ScanResult result) {
        return apply(ScanHeader.of(result), result.findings().iterator());
    }

    /**
     * Applies a result whose findings are read from {@code findings} as they are written. When the
     * result is a replay, {@code findings} is not read at all; when it is superseded (a newer scan
     * of the target was applied first), it is read to its end and nothing of it is written but its
     * {@code scans} row.
     *
     * @throws UnknownTargetException when the target does not exist
     * @throws MalformedResultException when the result does not match its target, or {@code
     *     findings} throws it while being read
     * @throws TooManyFindingsException past the configured cap
     */
    public WriteOutcome apply(ScanHeader header, Iterator<ResultFinding> findings) {
        try (Traced t = tracing.open("write scan result", SpanKind.CLIENT)) {
            t.span().setAttribute("db.system.name", "postgresql");
            t.span().setAttribute("vigil.scan_id", header.scanId().toString());
            t.span().setAttribute("vigil.target_id", header.targetId());
            try {
                WriteOutcome out = write(header, findings);
                t.span().setAttribute("vigil.write.path", out.path().label());
                t.span().setAttribute("vigil.findings", out.findings());
                return out;
            } catch (RuntimeException e) {
                throw t.fail(e);
            }
        }
    }

    private WriteOutcome write(ScanHeader header, Iterator<ResultFinding> findings) {
        long start = System.nanoTime();
        return jdbi.inTransaction(
                h ->
                        switch (ScanTransaction.begin(h, header)) {
                            case Admission.Admitted(ScanTransaction tx) ->
                                    write(tx, findings, start);
                            case Admission.Replayed r -> WriteOutcome.ignored(since(start));
                            case Admission.Stale s -> supersede(h, header, findings, start);
                        });
    }

    /**
     * A superseded result (a newer scan of the target was applied first): its findings are read to
     * the end, which validates each as they are streamed, so that a malformed result is refused
     * (the transaction rolls back) rather than recorded; then only its {@code scans} row is
     * written. Shared with {@link NaiveResultWriter}.
     */
    static WriteOutcome supersede(
            Handle h, ScanHeader header, Iterator<ResultFinding> findings, long start) {
        while (findings.hasNext()) {
            findings.next();
        }
        SupersededScans.record(h, List.of(header));
        return WriteOutcome.superseded(since(start));
    }

    private WriteOutcome write(ScanTransaction tx, Iterator<ResultFinding> findings, long start) {
        List<ResultFinding> buffer = new ArrayList<>(Math.min(unnestThreshold, 1024));
        long contextValues = 0;
        while (buffer.size() <= unnestThreshold
                && contextValues <= UNNEST_CONTEXT_BUDGET
                && findings.hasNext()) {
            ResultFinding f = findings.next();
            buffer.add(f);
            contextValues += f.context().size();
        }
        if (buffer.size() > maxFindings) {
            throw new TooManyFindingsException(maxFindings);
        }
        if (buffer.size() <= unnestThreshold && contextValues <= UNNEST_CONTEXT_BUDGET) {
            AppliedScan applied =
                    BatchApply.applyAdmitted(
                                    tx.handle(),
                                    List.of(new BatchApply.Pending(tx.header(), buffer)))
                            .getFirst();
            AppliedScan.finish(tx.handle(), List.of(applied));
            return WriteOutcome.of(applied, since(start));
        }
        UpsertCounts counts = FindingsUpsert.viaCopy(tx, buffer, findings, maxFindings);
        return WriteOutcome.of(tx.finish(WritePath.COPY, counts), since(start));
    }

    /**
     * Applies many results in one transaction ({@link BatchApply}: a handful of statements for the
     * whole batch), each with the semantics of applying it alone; results of one target are applied
     * in list order. A result too large for the array-bound path makes the batch fall back to one
     * transaction per result, in order. A database failure fails the whole call (nothing is
     * written); a refused result refuses only itself.
     *
     * @return one item per result, in order
     */
    public List<BatchItem> applyAll(List<ScanResult> results) {
        if (results.isEmpty()) {
            return List.of();
        }
        boolean small = true;
        for (ScanResult r : results) {
            long contexts = 0;
            for (ResultFinding f : r.findings()) {
                contexts += f.context().size();
            }
            small &=
                    r.findings().size() <= unnestThreshold
                            && r.findings().size() <= maxFindings
                            && contexts <= UNNEST_CONTEXT_BUDGET;
        }
        if (!small) {
            List<BatchItem> items = new ArrayList<>(results.size());
            for (ScanResult r : results) {
                items.add(applyOne(r));
            }
            return items;
        }
        try (Traced t = tracing.open("write scan results", SpanKind.CLIENT)) {
            t.span().setAttribute("db.system.name", "postgresql");
            t.span().setAttribute("vigil.batch.size", results.size());
            t.span().setAttribute("vigil.write.path", WritePath.UNNEST.label());
            long start = System.nanoTime();
            List<BatchApply.Pending> pending = new ArrayList<>(results.size());
            for (ScanResult r : results) {
                pending.add(new BatchApply.Pending(ScanHeader.of(r), r.findings()));
            }
            try {
                List<BatchApply.Item> done = jdbi.inTransaction(h -> BatchApply.apply(h, pending));
                Duration elapsed = since(start);
                List<BatchItem> items = new ArrayList<>(done.size());
                for (BatchApply.Item it : done) {
                    items.add(
                            switch (it) {
                                case BatchApply.Item.Done(AppliedScan a) when a != null ->
                                        new BatchItem.Written(WriteOutcome.of(a, elapsed));
                                case BatchApply.Item.Done d ->
                                        new BatchItem.Written(WriteOutcome.ignored(elapsed));
                                case BatchApply.Item.Superseded s ->
                                        new BatchItem.Written(WriteOutcome.superseded(elapsed));
                                case BatchApply.Item.Refused(RuntimeException e) ->
                                        new BatchItem.Refused(e);
                            });
                }
                return items;
            } catch (RuntimeException e) {
                throw t.fail(e);
            }
        }
    }

    private BatchItem applyOne(ScanResult r) {
        try {
            return new BatchItem.Written(apply(r));
        } catch (UnknownTargetException | MalformedResultException | TooManyFindingsException e) {
            return new BatchItem.Refused(e);
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
