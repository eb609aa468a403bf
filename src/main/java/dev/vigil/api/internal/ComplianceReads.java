package dev.vigil.api.internal;

import java.sql.Array;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The one statement behind the compliance routes: how many targets of the scope were scanned, by
 * kind, and, for each check asked about, the targets holding an open, non-dismissed insight of it.
 * Grouped by check, not by control: a check maps to controls of several frameworks, and the mapping
 * lives in the rule set, so {@link ComplianceReport} folds checks into controls in Java.
 */
final class ComplianceReads {

    /*
     * The left join keeps the one row of `scanned` when nothing fails. Failing targets are joined
     * to live targets so a deleted zone's leftover insights fail nothing; a scanned target is one
     * with a result (last_result_at), the same test the overview's "never scanned" uses.
     */
    private static final String TALLY =
            """
            with scanned as (
                select count(*) filter (where t.kind = 'account') as accounts,
                       count(*) filter (where t.kind = 'zone') as zones
                from targets t
                where t.account_id = :scope_account and t.deleted_at is null
                  and t.last_result_at is not null %ZONE%
            ),
            failing as (
                select i.check_id, array_agg(distinct t.target_id) as targets
                from insights i
                join targets t on t.target_id = coalesce(i.zone_id, i.account_id)
                              and t.account_id = i.account_id and t.deleted_at is null
                where %SCOPE% and i.status = 'open' and not i.dismissed
                  and i.check_id = any(cast(:checks as text[]))
                group by i.check_id
            )
            select s.accounts, s.zones, f.check_id, f.targets
            from scanned s left join failing f on true
            """;

    /**
     * The scanned targets of a scope and the failing ones of each check.
     *
     * @param failingByCheck target ids with an open, non-dismissed insight, by check id; checks
     *     that fail nowhere are absent
     */
    record Tally(long scannedAccounts, long scannedZones, Map<String, Set<String>> failingByCheck) {
        Tally {
            failingByCheck = Map.copyOf(failingByCheck);
        }
    }

    private final Jdbi jdbi;

    ComplianceReads(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The tally of {@code checks} in {@code scope}, in one statement. */
    Tally tally(Scope scope, Collection<String> checks) {
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        binds.put("checks", checks.toArray(String[]::new));
        String sql =
                TALLY.replace("%SCOPE%", scope.predicate("i"))
                        .replace(
                                "%ZONE%",
                                scope.zoneId() == null ? "" : "and t.target_id = :scope_zone");
        List<Row> rows =
                jdbi.withHandle(
                        h ->
                                h.createQuery(sql)
                                        .bindMap(binds)
                                        .map(
                                                (rs, c) -> {
                                                    Array targets = rs.getArray("targets");
                                                    return new Row(
                                                            rs.getLong("accounts"),
                                                            rs.getLong("zones"),
                                                            rs.getString("check_id"),
                                                            targets == null
                                                                    ? Set.of()
                                                                    : targets(targets));
                                                })
                                        .list());
        Map<String, Set<String>> failing = new HashMap<>();
        for (Row r : rows) {
            String check = r.checkId();
            if (check != null) {
                failing.put(check, r.targets());
            }
        }
        // The left join answers at least one row, every one with the same counts.
        Row first = rows.getFirst();
        return new Tally(first.accounts(), first.zones(), failing);
    }

    /** One row of {@link #TALLY}: the scope's counts, and a check with its failing targets. */
    private record Row(long accounts, long zones, @Nullable String checkId, Set<String> targets) {}

    private static Set<String> targets(Array array) throws SQLException {
        return Set.copyOf(List.of((String[]) array.getArray()));
    }
}
