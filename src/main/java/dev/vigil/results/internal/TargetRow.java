package dev.vigil.results.internal;

import dev.vigil.results.MalformedResultException;
import dev.vigil.results.ScanHeader;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A locked target as admission reads it: whose it is and the last result applied to it. The
 * watermark moves as a transaction applies results ({@link #after}), so a second result of the same
 * target in one batch is admitted against the first.
 */
record TargetRow(
        String targetId,
        String accountId,
        @Nullable String zoneId,
        @Nullable Instant lastResultAt,
        @Nullable UUID lastScanId) {

    static TargetRow read(ResultSet rs) throws SQLException {
        OffsetDateTime last = rs.getObject("last_result_at", OffsetDateTime.class);
        return new TargetRow(
                rs.getString("target_id"),
                rs.getString("account_id"),
                rs.getString("zone_id"),
                last == null ? null : last.toInstant(),
                rs.getObject("last_scan_id", UUID.class));
    }

    /**
     * @throws MalformedResultException when the result's account or zone is not the target's
     */
    void checkOwner(ScanHeader header) {
        if (!accountId.equals(header.accountId())) {
            throw new MalformedResultException(
                    "account_id",
                    "field 'account_id' is '"
                            + header.accountId()
                            + "' but target '"
                            + header.targetId()
                            + "' belongs to account '"
                            + accountId
                            + "'");
        }
        if (!Objects.equals(zoneId, header.zoneId())) {
            throw new MalformedResultException(
                    "zone_id",
                    "field 'zone_id' is "
                            + quoted(header.zoneId())
                            + " but target '"
                            + header.targetId()
                            + "' has zone "
                            + quoted(zoneId));
        }
    }

    /**
     * Whether a result scanned at {@code at} (microseconds) with {@code scanId} applies: null when
     * it does, else why not.
     */
    @Nullable Admission refusal(UUID scanId, Instant at) {
        if (scanId.equals(lastScanId)) {
            return new Admission.Replayed(scanId);
        }
        Instant last = lastResultAt;
        if (last != null && !at.isAfter(last)) {
            return new Admission.Stale(at, last);
        }
        return null;
    }

    /** The row once a result scanned at {@code at} is applied. */
    TargetRow after(UUID scanId, Instant at) {
        return new TargetRow(targetId, accountId, zoneId, at, scanId);
    }

    private static String quoted(@Nullable String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
