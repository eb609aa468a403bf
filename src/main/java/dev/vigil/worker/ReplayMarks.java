package dev.vigil.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.jspecify.annotations.Nullable;

/**
 * Which dead letters of one partition were replayed, kept in the replay group's committed offset:
 * the offset is the first entry not replayed (every entry before it was), and its metadata lists
 * the entries after it that were replayed, as ranges ({@code "17-20,23"}). So an entry a filter
 * skipped stays pending while the matching ones after it are done, and a later run replays each of
 * those neither twice nor never.
 *
 * <p>The metadata is bounded by the broker ({@code offset.metadata.max.bytes}, 4096 by default);
 * {@link #fits} tells the replay when one more mark would pass {@link #MAX_METADATA}, and the entry
 * is then left pending for a later run instead of being replayed without a mark. Not thread-safe:
 * one replay run owns it.
 */
final class ReplayMarks {
    /** Under the broker's default limit of 4096 bytes, with room to spare. */
    static final int MAX_METADATA = 3_800;

    private long next;
    private final TreeSet<Long> done = new TreeSet<>();

    private ReplayMarks(long next) {
        this.next = next;
    }

    /**
     * The marks read from a committed offset ({@code null}: nothing replayed yet, from {@code
     * start}, the partition's first offset).
     *
     * @throws IllegalStateException when the metadata is not this class's, naming it
     */
    static ReplayMarks from(@Nullable OffsetAndMetadata committed, long start) {
        if (committed == null) {
            return new ReplayMarks(start);
        }
        ReplayMarks m = new ReplayMarks(committed.offset());
        String meta = committed.metadata();
        if (meta == null || meta.isBlank()) {
            return m;
        }
        for (String part : meta.split(",", -1)) {
            try {
                int dash = part.indexOf('-');
                long from = Long.parseLong(dash < 0 ? part : part.substring(0, dash));
                long to = dash < 0 ? from : Long.parseLong(part.substring(dash + 1));
                for (long o = from; o <= to; o++) {
                    m.done.add(o);
                }
            } catch (NumberFormatException e) {
                throw new IllegalStateException(
                        "the replay group's committed metadata '"
                                + meta
                                + "' is not a list of replayed offsets such as '17-20,23'; reset"
                                + " the group's offsets to replay from a chosen point",
                        e);
            }
        }
        m.advance();
        return m;
    }

    /** The offset to read from: the first entry not replayed. */
    long next() {
        return next;
    }

    /** Whether the entry at {@code offset} was replayed. */
    boolean isDone(long offset) {
        return offset < next || done.contains(offset);
    }

    /** Whether marking {@code offset} keeps the metadata within {@link #MAX_METADATA}. */
    boolean fits(long offset) {
        if (offset == next || isDone(offset)) {
            return true;
        }
        TreeSet<Long> more = new TreeSet<>(done);
        more.add(offset);
        return encode(more).length() <= MAX_METADATA;
    }

    /** Marks the entry at {@code offset} replayed. */
    void markDone(long offset) {
        if (offset >= next) {
            done.add(offset);
            advance();
        }
    }

    /** What to commit for these marks. */
    OffsetAndMetadata commit() {
        return new OffsetAndMetadata(next, encode(done));
    }

    private void advance() {
        while (done.remove(next)) {
            next++;
        }
        done.headSet(next).clear();
    }

    private static String encode(SortedSet<Long> offsets) {
        List<String> parts = new ArrayList<>();
        long from = -1; // offsets are never negative: -1 is "no range open"
        long to = -1;
        for (long o : offsets) {
            if (from >= 0 && o == to + 1) {
                to = o;
                continue;
            }
            if (from >= 0) {
                parts.add(range(from, to));
            }
            from = o;
            to = o;
        }
        if (from >= 0) {
            parts.add(range(from, to));
        }
        return String.join(",", parts);
    }

    private static String range(long from, long to) {
        return from == to ? Long.toString(from) : from + "-" + to;
    }
}
