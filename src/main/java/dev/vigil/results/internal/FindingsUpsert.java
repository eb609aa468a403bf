package dev.vigil.results.internal;

import dev.vigil.results.ResultFinding;
import dev.vigil.results.TooManyFindingsException;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;

/** Upserts of findings one statement per step: COPY + upsert (large results), or one per row. */
public final class FindingsUpsert {

    private FindingsUpsert() {}

    /**
     * Streams {@code buffered} and then {@code rest} into the staging table with COPY, writes the
     * insights from there ({@link StagedUpsert}) and clears this call's staging rows.
     *
     * @param maxFindings the cap on findings per call, checked as findings stream in
     * @throws TooManyFindingsException past the cap (the COPY is cancelled; the caller rolls back)
     */
    public static UpsertCounts viaCopy(
            ScanTransaction tx,
            List<ResultFinding> buffered,
            Iterator<ResultFinding> rest,
            long maxFindings) {
        return StagedUpsert.apply(tx, buffered, rest, maxFindings);
    }

    /** Upserts one finding with one statement: the naive baseline the benchmark compares with. */
    public static UpsertCounts viaSingleRow(ScanTransaction tx, ResultFinding f) {
        return upsert(tx, InsightSql.SINGLE_ROW_SOURCE)
                .bind("check_id", f.checkId())
                .bind("resource_key", f.resourceKey())
                .bind("severity", f.severity().wire())
                .bind("issue_type", f.issueType().wire())
                .bind("subject", f.subject())
                .bind("message", f.message())
                .bind("context", ContextJson.of(f.context()))
                .map(FindingsUpsert::counts)
                .one();
    }

    private static org.jdbi.v3.core.statement.Query upsert(ScanTransaction tx, String source) {
        String sql = InsightSql.forZone(InsightSql.UPSERT, tx.header().zoneId());
        return tx.bindCommon(tx.handle().createQuery(sql.replace("%SOURCE%", source)));
    }

    private static UpsertCounts counts(java.sql.ResultSet rs, Object ctx) throws SQLException {
        return new UpsertCounts(rs.getInt("findings"), rs.getInt("opened"), rs.getInt("reopened"));
    }
}
