package dev.vigil.bench;

import static dev.vigil.bench.Samples.count;
import static dev.vigil.bench.Samples.rate;
import static dev.vigil.bench.internal.MarkdownTable.left;
import static dev.vigil.bench.internal.MarkdownTable.right;

import dev.vigil.bench.RulesScenario.Rates;
import dev.vigil.bench.internal.MarkdownTable;
import java.util.List;

/** The Markdown section and the headline of the {@code rules} scenario. */
final class RulesReport {
    private RulesReport() {}

    static ScenarioReport of(RulesScenario.Settings s, int checks, List<Rates> rates) {
        StringBuilder md = new StringBuilder();
        md.append(
                String.format(
                        "The shipped catalogue (%d zone checks) against one zone document, on one"
                                + " thread. Per document and way: warm-up %.1f s, then the median of %d"
                                + " measurements of %.1f s (at least one evaluation each).%n%n",
                        checks,
                        s.warmUp().toMillis() / 1000.0,
                        s.reps(),
                        s.rep().toMillis() / 1000.0));
        MarkdownTable table =
                MarkdownTable.of(
                        left("document"),
                        right("DNS records"),
                        right("JSON"),
                        right("Vigil: evaluate (decoded)"),
                        right("Vigil: decode + evaluate (per scan)"),
                        right("naive: decode per rule"),
                        right("Vigil per scan ÷ naive"),
                        right("evaluate by CEL alone"),
                        right("evaluate ÷ CEL alone"));
        for (Rates r : rates) {
            table.row(
                    r.document(),
                    count(r.records()),
                    count(r.bytes() / 1024.0) + " KiB",
                    rate(r.evaluate()) + " /s",
                    rate(r.perScan()) + " /s",
                    rate(r.naive()) + " /s",
                    String.format("%.1f×", r.perScan() / r.naive()),
                    rate(r.interpreted()) + " /s",
                    String.format("%.2f×", r.evaluate() / r.interpreted()));
        }
        md.append(table);
        md.append(
                "\nVigil compiles every rule once per process and decodes a document once per scan;"
                        + " each check reads the decoded document through a shared context. The"
                        + " naive way is a scanner made of one script per rule: each decodes the"
                        + " document for itself, so a scan decodes it once per rule (measured as "
                        + checks
                        + " decodes and one evaluation of the catalogue: the same work without"
                        + " the per-script start-up, which favours the naive way). The first"
                        + " column is what the JMH benchmark `./vigil jmh CatalogueBenchmark`"
                        + " measures. The last two columns measure what the rules' Java forms"
                        + " gain: the same evaluation by CEL's legacy interpreter alone (every"
                        + " expression the forms cover is answered by a closure per node, and"
                        + " CEL evaluates what they do not cover or are not sure of; both ways"
                        + " are checked to give equal results before timing).\n\n"
                        + "**Where the time goes.** On the typical zone, decoding is a small"
                        + " part of a scan; on the large zone, the per-record checks dominate"
                        + " evaluation and decoding the JSON dominates the naive way.\n");
        Rates typical = rates.getFirst();
        Rates large = rates.getLast();
        String headline =
                String.format(
                        "rules: %s catalogue evaluations/s on a typical zone, %s on a %s-record"
                                + " zone (CEL's interpreter alone %s and %s); per scan (decode +"
                                + " evaluate) %s and %s, naive (decode per rule) %s and %s",
                        rate(typical.evaluate()),
                        rate(large.evaluate()),
                        count(large.records()),
                        rate(typical.interpreted()),
                        rate(large.interpreted()),
                        rate(typical.perScan()),
                        rate(large.perScan()),
                        rate(typical.naive()),
                        rate(large.naive()));
        List<Chart> charts =
                List.of(
                        new Chart.Bars(
                                "rules.png",
                                "rules: catalogue evaluations/s, Vigil vs decode per rule",
                                "evaluations/s (log)",
                                RulesScenario.bySeries(rates),
                                true));
        return new ScenarioReport(
                "rules",
                md.toString(),
                headline,
                String.format(
                        "%s evaluations/s (typical zone), %s (%s records), decode + evaluate",
                        rate(typical.perScan()), rate(large.perScan()), count(large.records())),
                String.format(
                        "decode per rule: %s and %s evaluations/s",
                        rate(typical.naive()), rate(large.naive())),
                List.of(),
                charts);
    }
}
