package dev.vigil.inventory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Brings the inventory in line with what a connector discovered: adds or updates the targets,
 * records their asset counts for the lane classifier, and retires the zones of the listed accounts
 * that the listing no longer holds — their scans stop and their open insights resolve, each with an
 * audit row. Also the one place that retires a target for the inventory API's {@code DELETE}.
 *
 * <p>Accounts are never retired by a sync: a token that lost access to an account must not wipe its
 * history (delete it through the API). Thread-safe: all state is in the database.
 */
public final class FleetSync {

    /** Resolves the open insights of an account, or of one zone, and audits each. */
    private static final String RESOLVE =
            """
            with res as (
                update insights i set status = 'resolved', resolved_at = now()
                where i.account_id = :account and i.status = 'open'
                  and (cast(:zone as text) is null or i.zone_id = :zone)
                returning i.insight_id, i.zone_id
            ),
            audit as (
                insert into audit_log (account_id, zone_id, insight_id, action, from_status,
                                       to_status, changed_by, detail)
                select :account, zone_id, insight_id, 'resolved', 'open', 'resolved', :actor,
                       jsonb_build_object('reason', :reason, 'target_id', :target)
                from res
            )
            select count(*) from res
            """;

    private final Jdbi jdbi;
    private final Inventory inventory;

    private FleetSync(Jdbi jdbi, Inventory inventory) {
        this.jdbi = jdbi;
        this.inventory = inventory;
    }

    public static FleetSync create(DataSource ds, Inventory inventory) {
        return new FleetSync(Jdbi.create(ds), inventory);
    }

    /** A sync over an existing Jdbi (the API's). */
    public static FleetSync of(Jdbi jdbi, Inventory inventory) {
        return new FleetSync(jdbi, inventory);
    }

    /** What a sync changed. */
    public record Summary(int added, int updated, int retired, long insightsResolved) {
        @Override
        public String toString() {
            return "added="
                    + added
                    + " updated="
                    + updated
                    + " retired="
                    + retired
                    + " insights_resolved="
                    + insightsResolved;
        }
    }

    /**
     * Applies a discovery: {@code targets} (accounts before their zones) are upserted, {@code
     * assetCounts} stored, and every live zone of the accounts in {@code targets} that is not among
     * them is retired.
     *
     * @param actor who retires, for the audit log (e.g. {@code cloudflare-discovery})
     */
    public Summary apply(List<Target> targets, Map<String, Integer> assetCounts, String actor) {
        int added = inventory.upsert(targets);
        Set<String> seen = new java.util.HashSet<>();
        Set<String> accounts = new java.util.LinkedHashSet<>();
        for (Target t : targets) {
            seen.add(t.targetId());
            if (t.kind() == TargetKind.ACCOUNT) {
                accounts.add(t.accountId());
            }
        }
        setAssetCounts(assetCounts);
        List<Target> gone =
                liveZones(accounts).stream().filter(z -> !seen.contains(z.targetId())).toList();
        long resolved = 0;
        for (Target z : gone) {
            resolved += retire(z, actor, "zone no longer listed by the source");
        }
        return new Summary(added, targets.size() - added, gone.size(), resolved);
    }

    /**
     * Stops a target's scans (an account takes its zones with it) and resolves its open insights,
     * each with an audit row naming {@code actor} and {@code reason}, in one transaction.
     *
     * @return how many insights were resolved
     */
    public long retire(Target target, String actor, String reason) {
        return jdbi.inTransaction(h -> retire(h, target, actor, reason));
    }

    private static long retire(Handle h, Target t, String actor, String reason) {
        h.createUpdate(
                        "update targets set deleted_at = now() where deleted_at is null"
                                + " and (target_id = :id or (:account and account_id = :id))")
                .bind("id", t.targetId())
                .bind("account", t.kind() == TargetKind.ACCOUNT)
                .execute();
        return h.createQuery(RESOLVE)
                .bind("account", t.accountId())
                .bind("zone", t.zoneId())
                .bind("actor", actor)
                .bind("reason", reason)
                .bind("target", t.targetId())
                .mapTo(Long.class)
                .one();
    }

    private void setAssetCounts(Map<String, Integer> counts) {
        if (counts.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(counts.keySet());
        Integer[] values = ids.stream().map(counts::get).toArray(Integer[]::new);
        jdbi.useHandle(
                h ->
                        h.createUpdate(
                                        """
                                        update targets t set asset_count = c.n
                                          from unnest(:ids::text[], :counts::integer[]) as c(id, n)
                                         where t.target_id = c.id
                                        """)
                                .bind("ids", ids.toArray(String[]::new))
                                .bind("counts", values)
                                .execute());
    }

    private List<Target> liveZones(Collection<String> accounts) {
        if (accounts.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                                        select target_id, account_id, name, plan from targets
                                         where kind = 'zone' and deleted_at is null
                                           and account_id = any(:accounts)
                                        """)
                                .bind("accounts", accounts.toArray(String[]::new))
                                .map(
                                        (rs, ctx) ->
                                                Target.zone(
                                                        rs.getString("target_id"),
                                                        rs.getString("account_id"),
                                                        rs.getString("name"),
                                                        Plan.parse(rs.getString("plan"))))
                                .list());
    }
}
