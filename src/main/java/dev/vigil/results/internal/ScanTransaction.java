package dev.vigil.results.internal;

import dev.vigil.results.MalformedResultException;
import dev.vigil.results.ScanHeader;
import dev.vigil.results.UnknownTargetException;
import dev.vigil.results.WritePath;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

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
        record Row(
                String accountId,
                @Nullable String zoneId,
                @Nullable Instant lastResultAt,
                @Nullable UUID lastScanId) {}
        Row row =
                h.createQuery(InsightSql.LOCK_TARGET)
                        .bind("target", header.targetId())
                        .map(
                                (rs, ctx) -> {
                                    OffsetDateTime last =
                                            rs.getObject("last_result_at", OffsetDateTime.class);
                                    return new Row(
                                            rs.getString("account_id"),
                                            rs.getString("zone_id"),
                                            last == null ? null : last.toInstant(),
                                            rs.getObject("last_scan_id", UUID.class));
                                })
                        .findOne()
                        .orElseThrow(() -> new UnknownTargetException(header.targetId()));
        if (!row.accountId().equals(header.accountId())) {
            throw new MalformedResultException(
                    "account_id",
                    "field 'account_id' is '"
                            + header.accountId()
                            + "' but target '"
                            + header.targetId()
                            + "' belongs to account '"
                            + row.accountId()
                            + "'");
        }
        if (!Objects.equals(row.zoneId(), header.zoneId())) {
            throw new MalformedResultException(
                    "zone_id",
                    "field 'zone_id' is "
                            + quoted(header.zoneId())
                            + " but target '"
                            + header.targetId()
                            + "' has zone "
                            + quoted(row.zoneId()));
        }
        ScanTransaction tx = new ScanTransaction(h, header);
        Instant scannedAt = tx.at.toInstant();
        if (header.scanId().equals(row.lastScanId())) {
            return new Admission.Replayed(header.scanId());
        }
        Instant last = row.lastResultAt();
        if (last != null && !scannedAt.isAfter(last)) {
            return new Admission.Stale(scannedAt, last);
        }
        return new Admission.Admitted(tx);
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
     * Resolves the absent findings of evaluated checks, queues the alerts of what this transaction
     * opened, reopened or resolved ({@link InsightSql#QUEUE_ALERTS}; only when it changed
     * something), records the scan and advances the target's watermark. Call after every finding is
     * upserted.
     *
     * @return the number of insights resolved
     */
    public int finish(WritePath path, int findings, int opened) {
        return finish(path, findings, opened, true);
    }

    /**
     * As {@link #finish(WritePath, int, int)}; with {@code mayResolve} false the resolve step is
     * skipped, which is right only when every insight of the target was seen by this scan (the
     * target had none before it): resolving would read them all to change nothing.
     */
    public int finish(WritePath path, int findings, int opened, boolean mayResolve) {
        int resolved =
                mayResolve
                        ? bindCommon(
                                        h.createQuery(
                                                InsightSql.forZone(
                                                        InsightSql.RESOLVE, header.zoneId())))
                                .bind("evaluated", header.evaluatedChecks().toArray(String[]::new))
                                .bind("errored", header.erroredChecks().toArray(String[]::new))
                                .mapTo(Integer.class)
                                .one()
                        : 0;
        if (opened > 0 || resolved > 0) {
            bindCommon(h.createUpdate(InsightSql.QUEUE_ALERTS)).execute();
        }
        bindCommon(h.createUpdate(InsightSql.RECORD_SCAN))
                .bind("rule_set_version", header.ruleSetVersion())
                .bind("checks_evaluated", header.evaluatedChecks().size())
                .bind("checks_errored", header.erroredChecks().size())
                .bind("findings", findings)
                .bind("opened", opened)
                .bind("resolved", resolved)
                .bind("path", path.label())
                .execute();
        bindCommon(h.createUpdate(InsightSql.ADVANCE_TARGET))
                .bindByType("duration_ms", header.durationMs(), Long.class)
                .bindByType("section_errors", sectionErrorsJson(header), String.class)
                .execute();
        return resolved;
    }

    /** The header's section errors as a JSON object, or null when there are none. */
    private static @Nullable String sectionErrorsJson(ScanHeader header) {
        if (header.sectionErrors().isEmpty()) {
            return null;
        }
        return SECTION_ERRORS_JSON.writeValueAsString(
                new java.util.TreeMap<>(header.sectionErrors()));
    }

    private static final tools.jackson.databind.json.JsonMapper SECTION_ERRORS_JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();

    private static String quoted(@Nullable String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
