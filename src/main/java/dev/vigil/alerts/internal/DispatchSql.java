package dev.vigil.alerts.internal;

/**
 * The SQL of the alert dispatcher over the tables of {@code V9__alerts.sql}. Every time is the
 * database's ({@code now()}), so replicas with skewed clocks agree on what is due. Durations are
 * bound as milliseconds.
 */
final class DispatchSql {

    private DispatchSql() {}

    /**
     * Claims the outbox rows that are due to become messages: every row of an immediate rule, and
     * every row of a digest rule whose oldest waiting row is a window old (the window starts with
     * the first event, as Alertmanager's {@code group_wait}). Locked rows belong to another
     * replica's grouping and are skipped.
     */
    static final String CLAIM_UNGROUPED =
            """
            select o.outbox_id, o.rule_id, o.account_id, o.scan_id, r.mode, r.destination_id
            from alert_outbox o
            join alert_rules r on r.rule_id = o.rule_id
            where o.message_id is null
              and (r.mode = 'immediate'
                   or exists (select 1 from alert_outbox w
                              where w.rule_id = o.rule_id and w.message_id is null
                                and w.created_at <= now() - r.digest_window))
            order by o.outbox_id
            limit :limit
            for update of o skip locked
            """;

    static final String INSERT_MESSAGE =
            """
            insert into alert_messages (message_id, rule_id, account_id, destination_id, events,
                                        give_up_at)
            values (:message, :rule, :account, :destination, :events,
                    now() + :give_up_ms * interval '1 millisecond')
            """;

    static final String ASSIGN_MESSAGE =
            "update alert_outbox set message_id = :message where outbox_id = any(cast(:ids as bigint[]))";

    /**
     * Claims due pending messages and moves them a lease ahead in one statement; the attempt number
     * is taken here, so a replica that claims a message after a lease never reuses one.
     */
    static final String CLAIM_DUE =
            """
            update alert_messages m
            set next_attempt_at = now() + :lease_ms * interval '1 millisecond',
                attempts = m.attempts + 1
            from (select message_id from alert_messages
                  where status = 'pending' and next_attempt_at <= now()
                  order by next_attempt_at
                  limit :limit
                  for update skip locked) due
            where m.message_id = due.message_id
            returning m.message_id, m.rule_id, m.account_id, m.destination_id, m.test,
                      m.created_at, m.attempts
            """;

    static final String RULE_NAME = "select name from alert_rules where rule_id = :rule";

    /** A previous secret is still valid only until the end of its rotation. */
    static final String DESTINATION =
            """
            select destination_id, account_id, name, kind, url, recipients, secret,
                   case when previous_secret_until > now() then previous_secret end
                       as previous_secret,
                   disabled_at, disabled_reason
            from alert_destinations
            where destination_id = :destination
            """;

    /** The events of a message, with the insight as it reads now. */
    static final String EVENTS =
            """
            select o.trigger, o.insight_id, o.account_id, i.zone_id, i.check_id, i.severity,
                   i.issue_type, i.subject, i.message, o.period_start
            from alert_outbox o
            join insights i on i.account_id = o.account_id and i.insight_id = o.insight_id
            where o.message_id = :message
            order by o.outbox_id
            """;

    static final String INSERT_ATTEMPT =
            """
            insert into alert_attempts (message_id, attempt, outcome, status_code, latency_ms,
                                        error)
            values (:message, :attempt, :outcome, :status_code, :latency_ms, :error)
            on conflict do nothing
            """;

    /**
     * The guard {@code attempts = :attempt} makes a dispatcher whose lease ran out (another took
     * the message and counted a new attempt) change nothing: the newer attempt decides.
     */
    static final String DELIVERED =
            """
            update alert_messages set status = 'delivered', delivered_at = now(), last_error = null
            where message_id = :message and attempts = :attempt and status = 'pending'
            """;

    /** A retry past the message's give-up time fails it instead. */
    static final String RETRY =
            """
            update alert_messages
            set status = case when now() + :delay_ms * interval '1 millisecond' > give_up_at
                              then 'failed' else 'pending' end,
                next_attempt_at = now() + :delay_ms * interval '1 millisecond',
                last_error = :error
            where message_id = :message and attempts = :attempt and status = 'pending'
            """;

    static final String FINISHED =
            """
            update alert_messages set status = :status, last_error = :error
            where message_id = :message and attempts = :attempt and status = 'pending'
            """;

    static final String DISABLE_DESTINATION =
            """
            update alert_destinations set disabled_at = now(), disabled_reason = :reason
            where destination_id = :destination and disabled_at is null
            """;
}
