package dev.vigil.inventory;

import dev.vigil.inventory.internal.ImportLines;
import dev.vigil.inventory.internal.ImportLines.LineRejectedException;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code vigil import}: loads a JSON Lines or CSV file of accounts and zones into the inventory,
 * upserting in batches through {@link Inventory#upsert}. Each batch is one statement, so it is
 * written whole or not at all; a bad line is refused before it reaches a batch, reported with its
 * file and line, and counted. A target listed twice is upserted twice, in file order.
 */
public final class TargetImport {

    /** The file formats. */
    public enum Format {
        JSONL,
        CSV;

        /**
         * The format named by the file's extension ({@code .jsonl}, {@code .ndjson}, {@code .json},
         * {@code .csv}).
         *
         * @throws IllegalArgumentException naming the file and the way out ({@code --format})
         */
        public static Format of(Path file) {
            String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) {
                return JSONL;
            }
            if (n.endsWith(".csv")) {
                return CSV;
            }
            throw new IllegalArgumentException(
                    "cannot tell the format of "
                            + file
                            + " from its extension (.jsonl or .csv): give --format jsonl or csv");
        }

        public static Format parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "jsonl", "ndjson", "json" -> JSONL;
                case "csv" -> CSV;
                default ->
                        throw new IllegalArgumentException(
                                "unknown format '" + s + "' (expected jsonl or csv)");
            };
        }
    }

    /** A refused line: {@code file:line: reason}. */
    public record Rejection(Path file, long line, String reason) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + reason;
        }
    }

    /** Where the import is: lines read so far and bytes of the file consumed. */
    public interface Progress {
        void advance(long lines, long bytes, long totalBytes);

        /** No progress display. */
        Progress NONE = (lines, bytes, total) -> {};
    }

    /** Callbacks of one import. */
    public interface Listener extends Progress {
        void rejected(Rejection r);
    }

    /**
     * What the import did.
     *
     * @param read data lines read (blank lines and the CSV header excluded)
     * @param created targets that were new (or would be, in a dry run)
     * @param updated targets that existed and were updated (or would be)
     * @param rejected lines refused
     */
    public record Summary(long read, long created, long updated, long rejected, boolean dryRun) {
        @Override
        public String toString() {
            return "read "
                    + read
                    + ", new "
                    + created
                    + ", updated "
                    + updated
                    + ", rejected "
                    + rejected
                    + (dryRun ? " (dry run: nothing written)" : "");
        }
    }

    private final Inventory inventory;
    private final int batchSize;
    private final boolean dryRun;

    private TargetImport(Inventory inventory, int batchSize, boolean dryRun) {
        this.inventory = inventory;
        this.batchSize = batchSize;
        this.dryRun = dryRun;
    }

    /**
     * An import into {@code inventory} in batches of {@code batchSize}; a dry run reads, checks and
     * counts against the database but writes nothing.
     */
    public static TargetImport into(Inventory inventory, int batchSize, boolean dryRun) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        return new TargetImport(inventory, batchSize, dryRun);
    }

    /**
     * Imports {@code file}.
     *
     * @throws UncheckedIOException when the file cannot be read; batches before the failure stay
     *     written
     */
    public Summary run(Path file, Format format, Listener listener) {
        long total;
        try {
            total = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read import file " + file + ": " + e, e);
        }
        long[] bytes = {0};
        long read = 0;
        long rejected = 0;
        long[] counts = {0, 0};
        List<Target> batch = new ArrayList<>(batchSize);
        Set<String> inBatch = new HashSet<>();
        try (InputStream raw = Files.newInputStream(file);
                BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(
                                        new Counting(raw, bytes), StandardCharsets.UTF_8),
                                1 << 16)) {
            @Nullable Map<String, Integer> columns = null;
            long lineNo = 0;
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                if (format == Format.CSV && columns == null) {
                    try {
                        columns = ImportLines.csvHeader(line);
                    } catch (LineRejectedException e) {
                        throw new IllegalArgumentException(
                                file
                                        + ":"
                                        + lineNo
                                        + ": "
                                        + e.getMessage()
                                        + "; a CSV import starts with a header line such as "
                                        + String.join(",", ImportLines.FIELDS),
                                e);
                    }
                    continue;
                }
                read++;
                Target t;
                try {
                    t = columns == null ? ImportLines.json(line) : ImportLines.csv(line, columns);
                } catch (LineRejectedException | IllegalArgumentException e) {
                    rejected++;
                    listener.rejected(new Rejection(file, lineNo, String.valueOf(e.getMessage())));
                    continue;
                }
                if (!inBatch.add(t.targetId())) {
                    // one statement may not upsert a row twice: the repeat goes in the next batch
                    flush(batch, inBatch, counts);
                    inBatch.add(t.targetId());
                }
                batch.add(t);
                if (batch.size() >= batchSize) {
                    flush(batch, inBatch, counts);
                    listener.advance(read, bytes[0], total);
                }
            }
            flush(batch, inBatch, counts);
            listener.advance(read, total, total);
        } catch (IOException e) {
            throw new UncheckedIOException("reading import file " + file + ": " + e, e);
        }
        return new Summary(read, counts[0], counts[1], rejected, dryRun);
    }

    private void flush(List<Target> batch, Set<String> inBatch, long[] counts) {
        if (batch.isEmpty()) {
            return;
        }
        int created =
                dryRun ? batch.size() - inventory.countKnown(inBatch) : inventory.upsert(batch);
        counts[0] += created;
        counts[1] += batch.size() - created;
        batch.clear();
        inBatch.clear();
    }

    /** Counts the bytes read through it, for the progress display. */
    private static final class Counting extends FilterInputStream {
        private final long[] bytes;

        Counting(InputStream in, long[] bytes) {
            super(in);
            this.bytes = bytes;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                bytes[0]++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                bytes[0] += n;
            }
            return n;
        }
    }
}
