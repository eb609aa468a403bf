package dev.vigil.results.internal;

import dev.vigil.results.ResultFinding;
import dev.vigil.results.TooManyFindingsException;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The COPY path of the hybrid writer: findings stream into {@code insight_staging}; when their
 * identities are distinct (the usual case, checked in the JVM while they stream) existing insights
 * are updated and new ones inserted with plain set-based statements ({@link StagingSql}); otherwise
 * the deduplicating {@link InsightSql#UPSERT} runs on the staged rows. Either way the call's
 * staging rows are deleted before it returns.
 */
final class StagedUpsert {

    /** Memory for the deduplicating fallback's sort of the staged rows, for this transaction. */
    private static final String DEDUPE_WORK_MEM = "set local work_mem = '128MB'";

    private StagedUpsert() {}

    static UpsertCounts apply(
            ScanTransaction tx,
            List<ResultFinding> buffered,
            Iterator<ResultFinding> rest,
            long maxFindings) {
        Handle h = tx.handle();
        UUID batch = UUID.randomUUID();
        boolean targetHadInsights =
                tx.bindCommon(h.createQuery(sql(tx, StagingSql.TARGET_HAS_INSIGHTS)))
                        .mapTo(Boolean.class)
                        .one();
        KeyHashes keys = new KeyHashes();
        copy(h, batch, buffered, rest, maxFindings, keys);
        UpsertCounts counts;
        if (keys.mayHaveDuplicates()) {
            h.execute(DEDUPE_WORK_MEM);
            String upsert =
                    sql(tx, InsightSql.UPSERT).replace("%SOURCE%", InsightSql.STAGING_SOURCE);
            counts =
                    tx.bindCommon(h.createQuery(upsert))
                            .bind("batch", batch)
                            .map(
                                    (rs, ctx) ->
                                            new UpsertCounts(
                                                    rs.getInt("findings"),
                                                    rs.getInt("opened"),
                                                    rs.getInt("reopened")))
                            .one();
        } else {
            counts = updateThenInsert(tx, batch, targetHadInsights);
        }
        h.createUpdate(InsightSql.CLEAR_STAGING).bind("batch", batch).execute();
        return targetHadInsights ? counts : counts.intoEmptyTarget();
    }

    private static UpsertCounts updateThenInsert(
            ScanTransaction tx, UUID batch, boolean targetHadInsights) {
        Handle h = tx.handle();
        String detail = "{\"scan_id\": \"" + tx.header().scanId() + "\"}";
        int updated = 0, reopened = 0;
        if (targetHadInsights) {
            int[] r =
                    tx.bindCommon(h.createQuery(sql(tx, StagingSql.UPDATE_EXISTING)))
                            .bind("batch", batch)
                            .bind("detail", detail)
                            .map(
                                    (rs, ctx) ->
                                            new int[] {rs.getInt("updated"), rs.getInt("reopened")})
                            .one();
            updated = r[0];
            reopened = r[1];
        }
        // With no staged finding among the target's insights, nothing needs excluding.
        String exclude = updated == 0 ? "" : StagingSql.NOT_YET_AN_INSIGHT;
        int opened =
                tx.bindCommon(
                                h.createQuery(
                                        sql(tx, StagingSql.INSERT_NEW.replace("%NEW%", exclude))))
                        .bind("batch", batch)
                        .bind("detail", detail)
                        .mapTo(Integer.class)
                        .one();
        return new UpsertCounts(updated + opened, opened, reopened);
    }

    private static String sql(ScanTransaction tx, String sql) {
        return InsightSql.forZone(sql, tx.header().zoneId());
    }

    private static void copy(
            Handle h,
            UUID batch,
            List<ResultFinding> buffered,
            Iterator<ResultFinding> rest,
            long maxFindings,
            KeyHashes keys) {
        try {
            CopyIn copy =
                    h.getConnection()
                            .unwrap(PGConnection.class)
                            .getCopyAPI()
                            .copyIn(InsightSql.COPY_INTO_STAGING);
            try {
                CopyRowEncoder rows = new CopyRowEncoder(copy, batch);
                long count = 0;
                for (ResultFinding f : buffered) {
                    keys.add(f.checkId(), f.resourceKey());
                    rows.write(f);
                    count++;
                }
                while (rest.hasNext()) {
                    if (++count > maxFindings) {
                        throw new TooManyFindingsException(maxFindings);
                    }
                    ResultFinding f = rest.next();
                    keys.add(f.checkId(), f.resourceKey());
                    rows.write(f);
                }
                rows.finish();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "COPY of findings into insight_staging failed (batch " + batch + ")", e);
        }
    }
}
