package dev.vigil.api.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The write side of triage ({@link TriageRoutes}): dismissing and classifying insights, each change
 * audited in the same statement, always within a {@link Scope}.
 */
final class TriageWrites {

    /**
     * Sets {@code dismissed} on the insights of {@code %TARGETS%} that differ, and audits each. The
     * scope predicate is repeated in the update (the partition key prunes to one partition).
     */
    private static final String DISMISS =
            """
            with targets as (
                select i.insight_id, i.zone_id from insights i where %TARGETS%
            ),
            upd as (
                update insights i set dismissed = cast(:d as boolean)
                from targets t
                where i.account_id = :scope_account and i.insight_id = t.insight_id
                  and i.dismissed <> cast(:d as boolean)
                returning i.insight_id, i.zone_id
            ),
            audit as (
                insert into audit_log (account_id, zone_id, insight_id, action, changed_by, detail)
                select :scope_account, zone_id, insight_id,
                       case when cast(:d as boolean) then 'dismissed' else 'undismissed' end,
                       :actor,
                       jsonb_build_object('field', 'dismissed', 'old', not cast(:d as boolean),
                                          'new', cast(:d as boolean))
                from upd
            )
            select (select count(*) from targets) as matched, (select count(*) from upd) as changed
            """;

    private static final String CLASSIFY =
            """
            with old as (
                select i.insight_id, i.zone_id, i.classification,
                       coalesce(i.classification_expires_at <= now(), false) as lapsed
                from insights i where %SCOPE% and i.insight_id = :id
                for update
            ),
            upd as (
                update insights i
                set classification = cast(:c as text), classification_rationale = cast(:r as text),
                    classification_expires_at = cast(:e as timestamptz), classified_by = :actor,
                    classified_at = now()
                from old
                where i.account_id = :scope_account and i.insight_id = old.insight_id
                returning i.insight_id
            ),
            audit as (
                insert into audit_log (account_id, zone_id, insight_id, action, changed_by, detail)
                select :scope_account, zone_id, insight_id,
                       case when cast(:c as text) is null then 'unclassified' else 'classified' end,
                       :actor,
                       jsonb_build_object('field', 'classification', 'old', classification,
                                          'old_lapsed', lapsed, 'new', cast(:c as text),
                                          'rationale', cast(:r as text),
                                          'expires_at', cast(:e as timestamptz))
                from old
            )
            select count(*) from upd
            """;

    private final Jdbi jdbi;

    TriageWrites(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The answer to a bulk dismiss.
     *
     * @param matched the insights the request named (in the caller's scope)
     * @param changed those whose flag changed (the others already had it)
     */
    record Dismissed(boolean dismiss, long matched, long changed) {}

    /**
     * Sets {@code dismissed} to {@code d} on the insights of {@code scope} that {@code targets} (a
     * predicate over {@code i}, with {@code binds}) selects, auditing each change.
     */
    Dismissed dismiss(Scope scope, String targets, Map<String, Object> binds, boolean d) {
        return jdbi.inTransaction(
                h ->
                        h.createQuery(DISMISS.replace("%TARGETS%", targets))
                                .bindMap(binds)
                                .bind("d", d)
                                .bind("actor", scope.actor())
                                .map(
                                        (rs, c) ->
                                                new Dismissed(
                                                        d,
                                                        rs.getLong("matched"),
                                                        rs.getLong("changed")))
                                .one());
    }

    /**
     * Sets (or with {@code c} null clears) the classification of insight {@code id}, auditing the
     * old and new values.
     *
     * @return 1, or 0 when the insight is not in {@code scope}
     */
    int classify(
            Scope scope, long id, @Nullable String c, @Nullable String r, @Nullable Instant e) {
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        return jdbi.inTransaction(
                h ->
                        h.createQuery(CLASSIFY.replace("%SCOPE%", scope.predicate("i")))
                                .bindMap(binds)
                                .bind("id", id)
                                .bind("c", c)
                                .bind("r", r)
                                .bind("e", e == null ? null : Timestamp.from(e))
                                .bind("actor", scope.actor())
                                .mapTo(Integer.class)
                                .one());
    }
}
