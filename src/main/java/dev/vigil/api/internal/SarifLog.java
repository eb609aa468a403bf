package dev.vigil.api.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.api.ExportRule;
import dev.vigil.api.InsightView;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a SARIF 2.1.0 log that {@link SarifExport} writes, as records. SARIF names its
 * properties in camelCase; the API's mapper writes snake_case, so every name of more than one word
 * is given here. Vigil's own properties (a result's {@code properties} bag) stay snake_case, as in
 * the rest of the API.
 */
final class SarifLog {

    private SarifLog() {}

    /** The tool of the run: Vigil, with one rule per check. */
    record Tool(Driver driver) {}

    record Driver(String name, List<Rule> rules) {}

    /** A reporting descriptor: one check. */
    record Rule(
            String id,
            String name,
            @JsonProperty("shortDescription") Text shortDescription,
            @JsonProperty("defaultConfiguration") Configuration defaultConfiguration,
            RuleProperties properties) {

        static Rule of(ExportRule r) {
            return new Rule(
                    r.checkId(),
                    r.checkId(),
                    new Text(r.checkId() + " (" + r.issueType() + ")"),
                    new Configuration(SarifLog.level(r.severity())),
                    new RuleProperties(
                            List.of(r.issueType(), OcsfEvent.family(r.checkId())), r.severity()));
        }
    }

    record Text(String text) {}

    record Configuration(String level) {}

    /**
     * @param tags the issue type and the check's family
     */
    record RuleProperties(List<String> tags, String severity) {}

    /**
     * One insight.
     *
     * @param ruleIndex the rule's position in the driver's list; left out when it is not listed
     * @param kind {@code fail} when open, else {@code pass}
     * @param suppressions one external, accepted suppression when dismissed; left out otherwise
     */
    record Result(
            @JsonProperty("ruleId") String ruleId,
            @JsonProperty("ruleIndex") @JsonInclude(JsonInclude.Include.NON_NULL)
                    @Nullable Integer ruleIndex,
            String kind,
            String level,
            Text message,
            List<Location> locations,
            @JsonProperty("partialFingerprints") Map<String, String> partialFingerprints,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<Suppression> suppressions,
            ResultProperties properties) {

        static Result of(InsightView i, @Nullable Integer ruleIndex) {
            boolean open = i.status().equals("open");
            String scope = i.zoneId() == null ? i.accountId() : i.accountId() + "/" + i.zoneId();
            return new Result(
                    i.issueClass(),
                    ruleIndex,
                    open ? "fail" : "pass",
                    open ? SarifLog.level(i.severity()) : "none",
                    new Text(i.message()),
                    List.of(
                            new Location(
                                    List.of(
                                            new LogicalLocation(
                                                    i.subject(),
                                                    scope + "/" + i.resourceKey(),
                                                    "resource")))),
                    Map.of("vigilInsight/v1", i.accountId() + "/" + i.id()),
                    i.dismissed()
                            ? List.of(new Suppression("external", "accepted", "dismissed in Vigil"))
                            : null,
                    new ResultProperties(
                            i.id(),
                            i.severity(),
                            i.issueType(),
                            Rfc3339.format(i.firstSeenAt()),
                            Rfc3339.format(i.lastSeenAt()),
                            i.classification(),
                            ComplianceCatalogue.shipped().of(i.issueClass())));
        }
    }

    /** Insights have no source files: each is located by a logical location. */
    record Location(@JsonProperty("logicalLocations") List<LogicalLocation> logicalLocations) {}

    /**
     * @param fullyQualifiedName {@code <account>[/<zone>]/<resource key>}
     */
    record LogicalLocation(
            String name,
            @JsonProperty("fullyQualifiedName") String fullyQualifiedName,
            String kind) {}

    record Suppression(String kind, String status, String justification) {}

    /**
     * Vigil's own properties of a result (snake_case); no classification is left out, nor an empty
     * {@code compliance} (the check's control ids by framework).
     */
    record ResultProperties(
            long insightId,
            String severity,
            String issueType,
            String firstSeenAt,
            String lastSeenAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String classification,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, List<String>> compliance) {}

    /** SARIF level: critical and high are errors, moderate warnings, low notes. */
    static String level(String severity) {
        return switch (severity) {
            case "critical", "high" -> "error";
            case "moderate" -> "warning";
            default -> "note";
        };
    }
}
