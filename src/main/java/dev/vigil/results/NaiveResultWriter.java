package dev.vigil.results;

import dev.vigil.results.internal.Admission;
import dev.vigil.results.internal.FindingsUpsert;
import dev.vigil.results.internal.ScanTransaction;
import dev.vigil.results.internal.UpsertCounts;
import java.time.Duration;
import java.util.Iterator;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The baseline the hybrid {@link ResultWriter} is measured against: the same semantics and the same
 * transaction, but one {@code INSERT ... ON CONFLICT} statement (one round trip) per finding. Not
 * for production use. A finding repeated within one result is counted once per occurrence in {@link
 * WriteOutcome#findings()} (the hybrid writer counts it once).
 */
public final class NaiveResultWriter {

    private final Jdbi jdbi;

    private NaiveResultWriter(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public static NaiveResultWriter create(DataSource dataSource) {
        return new NaiveResultWriter(ResultWriter.jdbi(dataSource));
    }

    /** Applies a result held in memory. */
    public WriteOutcome apply(ScanResult result) {
        return apply(ScanHeader.of(result), result.findings().iterator());
    }

    /** As {@link ResultWriter#apply(ScanHeader, Iterator)}, without a cap on findings. */
    public WriteOutcome apply(ScanHeader header, Iterator<ResultFinding> findings) {
        long start = System.nanoTime();
        return jdbi.inTransaction(
                h ->
                        switch (ScanTransaction.begin(h, header)) {
                            case Admission.Admitted(ScanTransaction tx) ->
                                    write(tx, findings, start);
                            case Admission.Replayed r ->
                                    WriteOutcome.ignored(
                                            Duration.ofNanos(System.nanoTime() - start));
                            case Admission.Stale s ->
                                    ResultWriter.supersede(h, header, findings, start);
                        });
    }

    private static WriteOutcome write(
            ScanTransaction tx, Iterator<ResultFinding> findings, long start) {
        int count = 0, opened = 0, reopened = 0;
        while (findings.hasNext()) {
            UpsertCounts c = FindingsUpsert.viaSingleRow(tx, findings.next());
            count++;
            opened += c.opened();
            reopened += c.reopened();
        }
        return WriteOutcome.of(
                tx.finish(WritePath.NAIVE, new UpsertCounts(count, opened, reopened)),
                Duration.ofNanos(System.nanoTime() - start));
    }
}
