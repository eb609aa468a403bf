package dev.vigil.results.internal;

import dev.vigil.inventory.SqlArrays;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ScanHeader;
import dev.vigil.results.UnknownTargetException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Applies many small results in one transaction with a handful of statements (issue 20's group
 * commit): lock every target of the batch at once ({@link BatchSql#LOCK_TARGETS}), admit each
 * result against its target's watermark, then per wave (results of distinct targets; a target's
 * second result in the batch goes in the second wave, after its first) one {@link BatchSql#APPLY}
 * for zone targets, one for account targets, and one {@link BatchSql#FINISH}.
 *
 * <p>Per result the semantics are those of applying it alone: idempotent by scan id and scan time,
 * in order per target; a refused result (unknown target, wrong account or zone) refuses only
 * itself. A result overtaken by a newer scan of its target is recorded as superseded ({@link
 * SupersededScans}), all of the batch's in one more statement.
 */
public final class BatchApply {

    /** One result to apply: its header and its findings (few: the unnest path's size). */
    public record Pending(ScanHeader header, List<ResultFinding> findings) {}

    /** What became of one result of the batch. */
    public sealed interface Item {
        /** Applied (counts in {@code scan}) or, with {@code scan} null, ignored as a replay. */
        record Done(@Nullable AppliedScan scan) implements Item {}

        /** Not applied: a newer scan of the target was applied first ({@link SupersededScans}). */
        record Superseded() implements Item {}

        /** Refused on its own: {@link UnknownTargetException} or a malformed result. */
        record Refused(RuntimeException reason) implements Item {}
    }

    private BatchApply() {}

    /** Locks, admits and applies {@code batch} on {@code h}, inside the caller's transaction. */
    public static List<Item> apply(Handle h, List<Pending> batch) {
        Map<String, TargetRow> rows = lock(h, batch);
        @Nullable Item[] items = new Item[batch.size()];
        List<List<Integer>> waves = waves(batch);
        List<ScanHeader> superseded = new ArrayList<>();
        for (List<Integer> wave : waves) {
            List<Integer> admitted = new ArrayList<>();
            List<Instant> ats = new ArrayList<>();
            for (int i : wave) {
                ScanHeader hd = batch.get(i).header();
                TargetRow row = rows.get(hd.targetId());
                if (row == null) {
                    items[i] = new Item.Refused(new UnknownTargetException(hd.targetId()));
                    continue;
                }
                try {
                    row.checkOwner(hd);
                } catch (RuntimeException e) {
                    items[i] = new Item.Refused(e);
                    continue;
                }
                Instant at = AppliedScan.micros(hd.scannedAt());
                Admission refused = row.refusal(hd.scanId(), at);
                if (refused instanceof Admission.Stale) {
                    items[i] = new Item.Superseded();
                    superseded.add(hd);
                    continue;
                }
                if (refused != null) {
                    items[i] = new Item.Done(null);
                    continue;
                }
                rows.put(hd.targetId(), row.after(hd.scanId(), at));
                admitted.add(i);
                ats.add(at);
            }
            List<AppliedScan> applied = applyWave(h, batch, admitted, ats);
            for (int k = 0; k < admitted.size(); k++) {
                items[admitted.get(k)] = new Item.Done(applied.get(k));
            }
            AppliedScan.finish(h, applied);
        }
        SupersededScans.record(h, superseded);
        List<Item> out = new ArrayList<>(items.length);
        for (Item it : items) {
            out.add(java.util.Objects.requireNonNull(it));
        }
        return out;
    }

    /**
     * Applies admitted results of distinct targets, already locked and admitted by the caller, and
     * returns what each did, in order. Does not {@link AppliedScan#finish finish} them.
     */
    public static List<AppliedScan> applyAdmitted(Handle h, List<Pending> admitted) {
        List<Integer> idx = new ArrayList<>();
        List<Instant> ats = new ArrayList<>();
        for (int i = 0; i < admitted.size(); i++) {
            idx.add(i);
            ats.add(AppliedScan.micros(admitted.get(i).header().scannedAt()));
        }
        return applyWave(h, admitted, idx, ats);
    }

    private static Map<String, TargetRow> lock(Handle h, List<Pending> batch) {
        String[] ids =
                batch.stream().map(p -> p.header().targetId()).distinct().toArray(String[]::new);
        Map<String, TargetRow> rows = new HashMap<>();
        h.createQuery(BatchSql.LOCK_TARGETS)
                .bind("targets", SqlArrays.binary(ids))
                .map((rs, ctx) -> TargetRow.read(rs))
                .forEach(r -> rows.put(r.targetId(), r));
        return rows;
    }

    /** Indexes of {@code batch} in waves: the n-th result of a target goes in wave n. */
    private static List<List<Integer>> waves(List<Pending> batch) {
        List<List<Integer>> waves = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            int w = seen.merge(batch.get(i).header().targetId(), 1, Integer::sum) - 1;
            if (waves.size() <= w) {
                waves.add(new ArrayList<>());
            }
            waves.get(w).add(i);
        }
        return waves;
    }

    private static List<AppliedScan> applyWave(
            Handle h, List<Pending> batch, List<Integer> admitted, List<Instant> ats) {
        @Nullable AppliedScan[] out = new AppliedScan[admitted.size()];
        for (boolean zones : new boolean[] {true, false}) {
            List<Integer> group = new ArrayList<>();
            for (int k = 0; k < admitted.size(); k++) {
                if ((batch.get(admitted.get(k)).header().zoneId() != null) == zones) {
                    group.add(k);
                }
            }
            if (!group.isEmpty()) {
                WaveStatement.run(h, zones, batch, admitted, ats, group, out);
            }
        }
        List<AppliedScan> list = new ArrayList<>(out.length);
        for (AppliedScan a : out) {
            list.add(java.util.Objects.requireNonNull(a));
        }
        return list;
    }
}
