package dev.vigil.api.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The rule rollout's entries in the audit log: fleet-wide, under the account {@link #FLEET}, which
 * no account token lists (the insight audit routes filter by the token's accounts); the admin route
 * {@code GET /v1/rule-sets/audit} reads them. Written in the transaction of the change they record.
 */
final class RolloutAudit {

    /** The audit log's account for fleet-wide entries: no account token lists it. */
    static final String FLEET = "*";

    private RolloutAudit() {}

    /** Appends a fleet-wide entry to the audit log. */
    static void append(Handle h, String action, String by, Map<String, ?> detail) {
        h.createUpdate(
                        "insert into audit_log (account_id, action, changed_by, detail)"
                                + " values (:a, :action, :by, cast(:d as jsonb))")
                .bind("a", FLEET)
                .bind("action", action)
                .bind("by", by)
                .bind("d", new String(Json.bytes(detail), StandardCharsets.UTF_8))
                .execute();
    }

    /** Fleet-wide audit entries of the rollout, newest first. */
    record AuditEntry(long auditId, Instant at, String action, String changedBy, Object detail) {}

    static List<AuditEntry> entries(Jdbi jdbi, int limit) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                                        select audit_id, at, action, changed_by, detail::text
                                          from audit_log
                                         where account_id = :a and action like 'rule_set_%'
                                         order by at desc, audit_id desc limit :n
                                        """)
                                .bind("a", FLEET)
                                .bind("n", limit)
                                .map(
                                        (rs, c) ->
                                                new AuditEntry(
                                                        rs.getLong("audit_id"),
                                                        rs.getObject(
                                                                        "at",
                                                                        java.time.OffsetDateTime
                                                                                .class)
                                                                .toInstant(),
                                                        rs.getString("action"),
                                                        rs.getString("changed_by"),
                                                        Json.MAPPER.readTree(
                                                                rs.getString("detail"))))
                                .list());
    }
}
