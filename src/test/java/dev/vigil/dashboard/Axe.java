package dev.vigil.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.args.AxeRuleOptions;
import com.deque.html.axecore.args.AxeRunOnlyOptions;
import com.deque.html.axecore.args.AxeRunOptions;
import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openqa.selenium.WebDriver;

/**
 * axe-core (the copy bundled in {@code com.deque.html.axe-core:selenium}) run on the page a browser
 * shows: any violation of WCAG 2.0/2.1 at level A or AA fails the test, listing each rule, the
 * elements that break it and what axe says to fix.
 */
final class Axe {

    /** The WCAG 2.1 A and AA rules (2.1 adds to 2.0; axe tags each rule with its level). */
    static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    /**
     * Rules of those levels that axe marks "experimental" and so leaves out of a run by tags unless
     * named. label-content-name-mismatch (WCAG 2.5.3) is the rule the "Scan now" buttons broke
     * (issue 18, item 9).
     */
    static final List<String> EXPERIMENTAL = List.of("label-content-name-mismatch");

    private Axe() {}

    /**
     * Fails when the page {@code driver} shows, called {@code page} in the message, has a
     * violation.
     */
    static void assertNoViolations(WebDriver driver, String page) {
        AxeRunOnlyOptions only = new AxeRunOnlyOptions();
        only.setType("tag");
        only.setValues(TAGS);
        AxeRuleOptions on = new AxeRuleOptions();
        on.setEnabled(true);
        AxeRunOptions options = new AxeRunOptions();
        options.setRunOnly(only);
        options.setRules(
                EXPERIMENTAL.stream()
                        .collect(Collectors.toMap(r -> r, r -> on, (a, b) -> a, TreeMap::new)));
        Results results = new AxeBuilder().withOptions(options).analyze(driver);
        assertThat(results.isErrored())
                .as("axe-core could not run on %s: %s", page, results.getErrorMessage())
                .isFalse();
        assertThat(results.getPasses())
                .as("axe-core ran no rule on %s (%s)", page, results.getUrl())
                .isNotEmpty();
        List<String> ran =
                Stream.of(
                                results.getPasses(),
                                results.getViolations(),
                                results.getIncomplete(),
                                results.getInapplicable())
                        .flatMap(List::stream)
                        .map(Rule::getId)
                        .toList();
        assertThat(ran).as("rules axe-core ran on %s", page).containsAll(EXPERIMENTAL);
        assertThat(results.getViolations())
                .as(
                        "WCAG 2.1 A/AA violations on %s (%s):%n%s",
                        page, results.getUrl(), describe(results.getViolations()))
                .isEmpty();
    }

    private static String describe(List<Rule> violations) {
        StringBuilder out = new StringBuilder();
        for (Rule r : violations) {
            out.append("- ").append(r.getId()).append(" (").append(r.getImpact()).append("): ");
            out.append(r.getHelp());
            for (CheckedNode n : r.getNodes()) {
                String why = String.valueOf(n.getFailureSummary()).replace('\n', ' ');
                out.append("\n    ").append(n.getTarget()).append(": ").append(why);
            }
            out.append('\n');
        }
        return out.toString();
    }
}
