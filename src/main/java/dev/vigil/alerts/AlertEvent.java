package dev.vigil.alerts;

import dev.vigil.checks.Severity;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One insight event in a message: what happened to which insight, as the insight reads now.
 *
 * @param at the scan time of the event (when the insight opened, reopened or resolved)
 */
public record AlertEvent(
        Trigger trigger,
        long insightId,
        String accountId,
        @Nullable String zoneId,
        String checkId,
        Severity severity,
        String issueType,
        String subject,
        String message,
        Instant at) {}
