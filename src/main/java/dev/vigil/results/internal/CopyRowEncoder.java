package dev.vigil.results.internal;

import dev.vigil.results.ResultFinding;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.postgresql.copy.CopyIn;

/**
 * Encodes findings as rows of COPY's text format and hands them to a {@link CopyIn} in 64 KiB
 * chunks, so a COPY of any size holds one chunk of memory. A row is the finding's seven columns
 * (check id … context) between a fixed prefix and suffix, optionally preceded by its ordinal: for
 * the staging table the batch id and ordinal, for {@code insights} the account and zone before and
 * the new insight's status, times and scan id after. Not thread-safe; one per COPY.
 */
final class CopyRowEncoder {

    private static final int CHUNK = 64 * 1024;

    private final CopyIn copy;
    private final String prefix;
    private final boolean ordinal;
    private final String suffix;
    private final StringBuilder row = new StringBuilder(256);
    private final byte[] buffer = new byte[CHUNK];
    private int used;
    private long ord;

    private CopyRowEncoder(CopyIn copy, String prefix, boolean ordinal, String suffix) {
        this.copy = copy;
        this.prefix = prefix;
        this.ordinal = ordinal;
        this.suffix = suffix;
    }

    /** Rows of {@code insight_staging}: batch id, ordinal, the finding's columns. */
    static CopyRowEncoder staging(CopyIn copy, UUID batch) {
        return new CopyRowEncoder(copy, batch + "\t", true, "");
    }

    /**
     * Rows of {@code insights} (see {@link StagingSql#COPY_INTO_INSIGHTS}): a new open insight of
     * the account and zone, first and last seen at {@code at} by scan {@code scan}.
     */
    static CopyRowEncoder newInsights(
            CopyIn copy, String accountId, @Nullable String zoneId, Instant at, UUID scan) {
        CopyRowEncoder e = new CopyRowEncoder(copy, "", false, "");
        e.field(accountId).append('\t');
        if (zoneId == null) {
            e.row.append("\\N");
        } else {
            e.field(zoneId);
        }
        String prefix = e.row.append('\t').toString();
        return new CopyRowEncoder(copy, prefix, false, "\topen\t" + at + "\t" + at + "\t" + scan);
    }

    void write(ResultFinding f) throws SQLException {
        row.setLength(0);
        row.append(prefix);
        if (ordinal) {
            row.append(++ord).append('\t');
        }
        field(f.checkId()).append('\t');
        field(f.resourceKey()).append('\t');
        row.append(f.severity().wire()).append('\t');
        row.append(f.issueType().wire()).append('\t');
        field(f.subject()).append('\t');
        field(f.message()).append('\t');
        String context = ContextJson.of(f.context());
        if (context == null) {
            row.append("\\N");
        } else {
            field(context);
        }
        row.append(suffix).append('\n');
        byte[] bytes = row.toString().getBytes(StandardCharsets.UTF_8);
        if (used + bytes.length > buffer.length) {
            flush();
        }
        if (bytes.length > buffer.length) {
            copy.writeToCopy(bytes, 0, bytes.length);
        } else {
            System.arraycopy(bytes, 0, buffer, used, bytes.length);
            used += bytes.length;
        }
    }

    /** Sends what is buffered and ends the COPY; returns the number of rows PostgreSQL took. */
    long finish() throws SQLException {
        flush();
        return copy.endCopy();
    }

    private void flush() throws SQLException {
        if (used > 0) {
            copy.writeToCopy(buffer, 0, used);
            used = 0;
        }
    }

    /** Appends {@code s} escaped for COPY text format: backslash, tab, newline, carriage return. */
    private StringBuilder field(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> row.append("\\\\");
                case '\t' -> row.append("\\t");
                case '\n' -> row.append("\\n");
                case '\r' -> row.append("\\r");
                default -> row.append(c);
            }
        }
        return row;
    }
}
