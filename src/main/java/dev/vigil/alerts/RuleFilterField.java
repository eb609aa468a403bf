package dev.vigil.alerts;

import dev.vigil.checks.IssueType;
import dev.vigil.checks.Severity;
import java.util.Arrays;
import java.util.List;

/**
 * A property of an insight a rule can filter on, with its name on the wire (the insight filters'
 * names) and the two columns of {@code alert_rules} that hold it: the values (null: no filter) and
 * whether they are negated.
 */
public enum RuleFilterField {
    ZONE_ID("zone_id", "zone_ids", "zone_negated"),
    SEVERITY("severity", "severities", "severity_negated"),
    ISSUE_TYPE("issue_type", "issue_types", "issue_type_negated"),
    /** A check id, e.g. {@code tls.ssl_flexible}. */
    CHECK_ID("check_id", "check_ids", "check_negated"),
    /** A check id's prefix before the first dot, e.g. {@code tls}. */
    FAMILY("family", "families", "family_negated");

    private static final List<String> SEVERITIES =
            Arrays.stream(Severity.values()).map(Severity::wire).toList();
    private static final List<String> ISSUE_TYPES =
            Arrays.stream(IssueType.values()).map(IssueType::wire).toList();

    private final String wire;
    private final String valuesColumn;
    private final String negatedColumn;

    RuleFilterField(String wire, String valuesColumn, String negatedColumn) {
        this.wire = wire;
        this.valuesColumn = valuesColumn;
        this.negatedColumn = negatedColumn;
    }

    /** The name on the wire, as the insight filters use it ({@code severity}). */
    public String wire() {
        return wire;
    }

    String valuesColumn() {
        return valuesColumn;
    }

    String negatedColumn() {
        return negatedColumn;
    }

    /**
     * The values this field accepts whatever the catalogue holds; empty: any (zones, and check ids
     * and families, which {@link AlertRules} checks against the catalogue).
     */
    public List<String> allowed() {
        return switch (this) {
            case SEVERITY -> SEVERITIES;
            case ISSUE_TYPE -> ISSUE_TYPES;
            case ZONE_ID, CHECK_ID, FAMILY -> List.of();
        };
    }

    /**
     * The field named {@code wire}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the accepted ones
     */
    public static RuleFilterField fromWire(String wire) {
        for (RuleFilterField f : values()) {
            if (f.wire.equals(wire)) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "unknown filter '"
                        + wire
                        + "' (expected zone_id, severity, issue_type, check_id or family, each"
                        + " negated as <filter>~neq)");
    }
}
