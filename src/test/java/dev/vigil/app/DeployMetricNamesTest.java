package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The extraction of metric names from PromQL that {@link MetricsIT} checks against a real scrape.
 */
class DeployMetricNamesTest {

    @Test
    void aggregationsFunctionsLabelsRangesAndVariablesAreNotMetricNames() {
        assertThat(
                        DeployMetricNames.names(
                                "histogram_quantile(0.99, sum by (le, lane)"
                                        + " (rate(vigil_worker_scan_duration_seconds_bucket"
                                        + "{lane=~\"$lane\", outcome=\"ok\"}[$__rate_interval])))"))
                .containsExactly("vigil_worker_scan_duration_seconds_bucket");
    }

    @Test
    void everySelectorOfABinaryExpressionIsFound() {
        assertThat(
                        DeployMetricNames.names(
                                "sum(rate(vigil_check_errors_total[5m])) by (check_id)"
                                        + " / ignoring(x) sum(rate(vigil_check_evaluations_total"
                                        + "[5m] offset 1h)) > 0.05 and on(role) up == 1"))
                .containsExactly("up", "vigil_check_errors_total", "vigil_check_evaluations_total");
    }

    @Test
    void commentsAreIgnored() {
        assertThat(
                        DeployMetricNames.names(
                                "# the lag of a lane: max per partition\n"
                                        + "sum(vigil_worker_committed_offset_lag) # then sum\n> 1"))
                .containsExactly("vigil_worker_committed_offset_lag");
    }

    @Test
    void stringsAndNumbersWithExponentsAreIgnored() {
        assertThat(
                        DeployMetricNames.names(
                                "topk(10, label_replace(jvm_memory_used_bytes{area=\"heap\"},"
                                        + " \"x\", \"$1\", \"id\", \"(.*)\")) > 1e6"))
                .containsExactly("jvm_memory_used_bytes");
    }

    @Test
    void everyAlertHasARunbookSectionItsUrlPointsAt() throws Exception {
        JsonNode rules =
                new YAMLMapper()
                        .readTree(Files.readString(DeployMetricNames.ALERTS))
                        .path("groups")
                        .get(0)
                        .path("rules");
        String runbook = Files.readString(Path.of("docs/runbook.md"));
        assertThat(rules.size()).isGreaterThanOrEqualTo(6);
        for (JsonNode rule : rules) {
            String alert = rule.path("alert").asString();
            assertThat(runbook).as(alert).contains("\n## " + alert + "\n");
            assertThat(rule.path("annotations").path("runbook_url").asString())
                    .isEqualTo("docs/runbook.md#" + alert.toLowerCase(Locale.ROOT));
            assertThat(rule.path("expr").asString()).as(alert).isNotBlank();
        }
    }
}
