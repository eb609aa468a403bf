package dev.vigil.api;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One insight as the public API shows it (snake_case on the wire).
 *
 * @param issueClass the check id; its family is the part before the first dot
 * @param classification the classification in force: null when none, or when it has lapsed
 * @param classificationLapsed true when a classification was set and its expiry has passed: the
 *     insight is to be reviewed again; the lapsed rationale and expiry are still shown
 */
public record InsightView(
        long id,
        String accountId,
        @Nullable String zoneId,
        String issueClass,
        String resourceKey,
        String severity,
        String issueType,
        String subject,
        String message,
        String status,
        boolean dismissed,
        Instant firstSeenAt,
        Instant lastSeenAt,
        @Nullable Instant resolvedAt,
        @Nullable String classification,
        boolean classificationLapsed,
        @Nullable String classificationRationale,
        @Nullable Instant classificationExpiresAt,
        @Nullable String classifiedBy,
        @Nullable Instant classifiedAt) {}
