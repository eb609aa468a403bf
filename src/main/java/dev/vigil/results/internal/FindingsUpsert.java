package dev.vigil.results.internal;

import dev.vigil.results.ResultFinding;
import dev.vigil.results.TooManyFindingsException;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The two ways the hybrid writer upserts findings: one array-bound statement, or COPY + upsert. */
public final class FindingsUpsert {

    private FindingsUpsert() {}

    /**
     * Upserts {@code findings} with one statement whose findings are bound as six text arrays and
     * one array of JSON contexts.
     */
    public static UpsertCounts viaUnnest(ScanTransaction tx, List<ResultFinding> findings) {
        int n = findings.size();
        String[] checkIds = new String[n], keys = new String[n], severities = new String[n];
        String[] types = new String[n], subjects = new String[n], messages = new String[n];
        @Nullable String[] contexts = new String[n];
        for (int i = 0; i < n; i++) {
            ResultFinding f = findings.get(i);
            checkIds[i] = f.checkId();
            keys[i] = f.resourceKey();
            severities[i] = f.severity().wire();
            types[i] = f.issueType().wire();
            subjects[i] = f.subject();
            messages[i] = f.message();
            contexts[i] = ContextJson.of(f.context());
        }
        return upsert(tx, InsightSql.UNNEST_SOURCE)
                .bind("check_ids", checkIds)
                .bind("resource_keys", keys)
                .bind("severities", severities)
                .bind("issue_types", types)
                .bind("subjects", subjects)
                .bind("messages", messages)
                .bind("contexts", contexts)
                .map(FindingsUpsert::counts)
                .one();
    }

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
