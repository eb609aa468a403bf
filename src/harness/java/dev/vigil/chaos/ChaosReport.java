package dev.vigil.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The outcome of a fault-suite run: the faults injected, the counts read back from the database and
 * the topics, and the checks made of them.
 *
 * @param published distinct scan ids on the scan-request topic
 * @param stored of those, the ones with a row in {@code scans}
 * @param superseded of the stored, the ones recorded as superseded: their result came after a newer
 *     scan of the same target was applied, so it was not applied (the lanes reorder one target's
 *     scans under load)
 * @param deadLettered of those without a stored result, the ones on the dead-letter topic
 * @param lost published scans with neither a stored result nor a dead letter
 * @param duplicateIdentities insight identities (account, zone, check, resource) stored more than
 *     once
 * @param lag consumer-group lag left on the scan-request topic, summed over both lanes
 */
public record ChaosReport(
        ChaosOptions options,
        Instant startedAt,
        Duration elapsed,
        List<Fault> faults,
        long published,
        long stored,
        long superseded,
        long deadLettered,
        long lost,
        long duplicateIdentities,
        int planted,
        int open,
        int missing,
        int unexpected,
        long lag,
        List<Check> checks) {

    /** One property checked at the end, with what was expected and what was found. */
    public record Check(String name, String expected, String actual, boolean passed) {}

    public ChaosReport {
        faults = List.copyOf(faults);
        checks = List.copyOf(checks);
    }

    /** Builds the checks from the counts. */
    public static List<Check> checks(
            List<Fault> faults,
            long published,
            long lost,
            long duplicates,
            int planted,
            int missing,
            int unexpected,
            long lag) {
        Set<Fault.Kind> injected = EnumSet.noneOf(Fault.Kind.class);
        faults.forEach(f -> injected.add(f.kind()));
        Set<Fault.Kind> absent = EnumSet.allOf(Fault.Kind.class);
        absent.removeAll(injected);
        return List.of(
                new Check(
                        "scan requests published", "> 0", Long.toString(published), published > 0),
                new Check(
                        "scans without a stored result or a dead letter",
                        "0",
                        Long.toString(lost),
                        lost == 0),
                new Check(
                        "insight identities stored twice",
                        "0",
                        Long.toString(duplicates),
                        duplicates == 0),
                new Check(
                        "open insights equal the planted ones",
                        "missing 0, unexpected 0 of " + planted,
                        "missing " + missing + ", unexpected " + unexpected,
                        missing == 0 && unexpected == 0),
                new Check("consumer lag left", "0", Long.toString(lag), lag == 0),
                new Check(
                        "fault kinds injected",
                        "all " + Fault.Kind.values().length,
                        absent.isEmpty() ? "all" : "missing " + absent,
                        absent.isEmpty()));
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    /** The report as Markdown. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Fault suite report\n\n");
        b.append("Result: **").append(passed() ? "PASSED" : "FAILED").append("**  \n");
        b.append("Started ")
                .append(startedAt)
                .append(", took ")
                .append(elapsed.toSeconds())
                .append(" s; seed ")
                .append(options.seed())
                .append("; fleet ")
                .append(options.accounts())
                .append(" accounts + ")
                .append(options.zones())
                .append(" zones, every target scanned every ")
                .append(options.interval().toSeconds())
                .append(" s; load phase ")
                .append(options.loadPhase().toSeconds())
                .append(" s.\n\n");
        b.append("Processes: scheduler ×2, worker fast ×2, worker slow ×1, api ×1 (child JVMs);")
                .append(
                        " Kafka: three brokers, each a child JVM and a KRaft controller, topics with")
                .append(
                        " three replicas and min.insync.replicas 2, producers acks=all and idempotent;")
                .append(
                        " embedded PostgreSQL (a primary and a synchronous standby, one multi-host URL)")
                .append(" in the parent.\n\n");
        b.append("## Faults injected\n\n");
        b.append("| at (s) | fault | victim | down (ms) | back after (ms) |\n");
        b.append("|---:|---|---|---:|---:|\n");
        for (Fault f : faults) {
            b.append(
                    String.format(
                            "| %.1f | %s | %s | %d | %d |%n",
                            f.at().toMillis() / 1000.0,
                            f.kind().description(),
                            f.victim(),
                            f.downtime().toMillis(),
                            f.recovered().toMillis()));
        }
        for (Fault f : faults) {
            if (f.kind() == Fault.Kind.FAILOVER_POSTGRES) {
                Duration outage = f.writeOutage();
                b.append("\nWrite outage of the PostgreSQL failover at ")
                        .append(String.format("%.1f s", f.at().toMillis() / 1000.0))
                        .append(": **")
                        .append(
                                outage == null
                                        ? "no result stored within 2 min"
                                        : outage.toMillis() + " ms")
                        .append("** from the SIGKILL of the primary to the first result stored on")
                        .append(" the promoted standby (promotion requested after ")
                        .append(f.downtime().toMillis())
                        .append(" ms, done in ")
                        .append(f.recovered().toMillis())
                        .append(" ms).\n");
            }
        }
        for (Fault f : faults) {
            ProduceLatency latency = f.produceLatency();
            if (latency != null) {
                produceLatency(b, f, latency);
            }
        }
        b.append("\n## Counts\n\n");
        b.append("| count | value |\n|---|---:|\n");
        row(b, "scan requests published (distinct scan ids)", published);
        row(b, "with a stored result", stored);
        row(b, "of which superseded (a newer scan of the target applied first)", superseded);
        row(b, "dead-lettered (no stored result)", deadLettered);
        row(b, "lost", lost);
        row(b, "insight identities stored twice", duplicateIdentities);
        row(b, "planted insights", planted);
        row(b, "open insights", open);
        row(b, "consumer lag left", lag);
        b.append("\n## Checks\n\n");
        b.append("| check | expected | actual | |\n|---|---|---|---|\n");
        for (Check c : checks) {
            b.append("| ")
                    .append(c.name())
                    .append(" | ")
                    .append(c.expected())
                    .append(" | ")
                    .append(c.actual())
                    .append(" | ")
                    .append(c.passed() ? "ok" : "**FAILED**")
                    .append(" |\n");
        }
        return b.toString();
    }

    /**
     * The report of a run a signal stopped: {@code what} says when and why; the faults injected
     * until then are listed; no check ran.
     */
    static String partialMarkdown(String what, List<Fault> faults) {
        StringBuilder md =
                new StringBuilder("# Fault suite report — partial\n\n")
                        .append("The run was ")
                        .append(what)
                        .append(
                                ". The role processes and the embedded servers were stopped; no"
                                        + " check ran, so this run proves nothing.\n\n");
        for (Fault f : faults) {
            md.append("- ")
                    .append(f.kind().description())
                    .append(" (")
                    .append(f.victim())
                    .append(") at ")
                    .append(f.at().toSeconds())
                    .append(" s\n");
        }
        return md.toString();
    }

    private static void produceLatency(StringBuilder b, Fault f, ProduceLatency latency) {
        b.append("\nProduce latency around the SIGKILL of ")
                .append(f.victim())
                .append(String.format(" at %.1f s", f.at().toMillis() / 1000.0))
                .append(" (down ")
                .append(f.downtime().toMillis())
                .append(" ms, serving again ")
                .append(f.recovered().toMillis())
                .append(" ms after its restart): a probe producer with Vigil's settings sends")
                .append(" a record every 100 ms round a topic with a replica on every broker;")
                .append(" send to acknowledgement, by when the record was sent. The maximum")
                .append(
                        " from the SIGKILL is the spike; a window that overlaps another Kafka fault")
                .append(" (times above) carries that one's latency too.\n\n");
        b.append("| window | sends | p50 (ms) | p99 (ms) | max (ms) | failed |\n");
        b.append("|---|---:|---:|---:|---:|---:|\n");
        window(b, "30 s before the SIGKILL", latency.before());
        window(b, "30 s from the SIGKILL", latency.during());
        window(b, "30 s from its return", latency.after());
    }

    private static void window(StringBuilder b, String name, ProduceLatency.Window w) {
        b.append(
                String.format(
                        "| %s | %d | %d | %d | %d | %d |%n",
                        name,
                        w.sends(),
                        w.p50().toMillis(),
                        w.p99().toMillis(),
                        w.max().toMillis(),
                        w.failed()));
    }

    private static void row(StringBuilder b, String name, long value) {
        b.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }
}
