package dev.vigil.results.internal;

import dev.vigil.results.ScanHeader;
import dev.vigil.results.UnknownTargetException;
import dev.vigil.results.WritePath;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The steps of applying one result that do not depend on how the findings are written: the target
 * lock and watermark check at the start, the resolution, scan record and watermark advance at the
 * end. Lives for one transaction on one {@link Handle}.
 */
public final class ScanTransaction {

    private final Handle h;
    private final ScanHeader header;
    // PostgreSQL keeps microseconds; compare and store the same value it will hold.
    private final Timestamp at;

    private ScanTransaction(Handle h, ScanHeader header) {
        this.h = h;
        this.header = header;
        this.at = Timestamp.from(header.scannedAt().truncatedTo(ChronoUnit.MICROS));
    }

    /**
     * Locks the target row and decides whether this result applies. The lock is held until the
     * transaction of {@code h} ends, whatever the answer.
     *
     * @return {@link Admission.Admitted} with the transaction to write through, or {@link
     *     Admission.Replayed} when its scan id was the last applied, or {@link Admission.Stale}
     *     when it is not newer than the last applied result; nothing is written in the last two
     * @throws UnknownTargetException when the target does not exist
     * @throws MalformedResultException when the result's account or zone is not the target's
     */
    public static Admission begin(Handle h, ScanHeader header) {
        TargetRow row =
                h.createQuery(InsightSql.LOCK_TARGET)
                        .bind("target", header.targetId())
                        .map((rs, ctx) -> TargetRow.read(rs))
                        .findOne()
                        .orElseThrow(() -> new UnknownTargetException(header.targetId()));
        row.checkOwner(header);
        ScanTransaction tx = new ScanTransaction(h, header);
        Admission refused = row.refusal(header.scanId(), tx.at.toInstant());
        return refused != null ? refused : new Admission.Admitted(tx);
    }

    public Handle handle() {
        return h;
    }

    public ScanHeader header() {
        return header;
    }

    /** The scan's time as PostgreSQL stores it (microseconds). */
    public Instant at() {
        return at.toInstant();
    }

    /** Binds the parameters every statement of this transaction may use. */
    public <S extends SqlStatement<S>> S bindCommon(S statement) {
        return statement
                .bind("account", header.accountId())
                .bind("zone", header.zoneId())
                .bind("at", at)
                .bind("scan", header.scanId())
                .bind("target", header.targetId());
    }

    /**
     * Resolves the absent findings of evaluated checks unless the upsert did (the per-row path
     * resolves here, by the scan id it stamps on every present finding), then queues the alerts,
     * records the scan and advances the target's watermark ({@link AppliedScan#finish}). Call after
     * every finding is upserted.
     *
     * @param counts what the upsert did; its {@link UpsertCounts#resolved()}, when present, is
     *     taken as the resolve step's result and the step is skipped
     * @return what the scan did
     */
    public AppliedScan finish(WritePath path, UpsertCounts counts) {
        int findings = counts.findings(), opened = counts.opened(), reopened = counts.reopened();
        int resolved =
                counts.resolved().isPresent()
                        ? counts.resolved().getAsInt()
                        : bindCommon(
                                        h.createQuery(
                                                InsightSql.forZone(
                                                        InsightSql.RESOLVE, header.zoneId())))
                                .bind("evaluated", header.evaluatedChecks().toArray(String[]::new))
                                .bind("errored", header.erroredChecks().toArray(String[]::new))
                                .mapTo(Integer.class)
                                .one();
        AppliedScan applied =
                new AppliedScan(header, at(), path, findings, opened, reopened, resolved);
        AppliedScan.finish(h, List.of(applied));
        return applied;
    }
}
