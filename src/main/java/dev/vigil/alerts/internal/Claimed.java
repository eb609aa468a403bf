package dev.vigil.alerts.internal;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A message this dispatcher claimed for one attempt, until its lease ends.
 *
 * @param ruleId null for a test message sent without a rule, or once its rule was deleted
 * @param attempt this attempt's number (1 for the first); the record of its outcome changes the
 *     message only while no later claim took another
 */
public record Claimed(
        UUID messageId,
        @Nullable Long ruleId,
        String accountId,
        long destinationId,
        boolean test,
        Instant createdAt,
        int attempt) {}
