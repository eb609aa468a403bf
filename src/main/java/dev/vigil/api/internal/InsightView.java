package dev.vigil.api.internal;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One insight as the public API shows it (snake_case on the wire). */
public record InsightView(
        long id,
        String accountId,
        @Nullable String zoneId,
        String checkId,
        String resourceKey,
        String severity,
        String issueType,
        String subject,
        String message,
        String status,
        boolean dismissed,
        Instant firstSeenAt,
        Instant lastSeenAt,
        @Nullable Instant resolvedAt) {}
