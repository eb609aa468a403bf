package dev.vigil.api.internal;

import dev.vigil.checks.IssueType;
import dev.vigil.checks.Severity;
import java.util.Arrays;
import java.util.List;

/**
 * A filterable property of an insight: its query parameter, the SQL it compares and the values it
 * accepts (empty: any). Each is also accepted negated as {@code <name>~neq} (and, for the older
 * form, {@code not_<name>}).
 */
enum FilterField {
    /**
     * The issue class is the check id ({@code tls.ssl_flexible}); a value without a dot also
     * matches the whole family of checks ({@code tls} matches every {@code tls.*} check).
     */
    ISSUE_CLASS("issue_class", List.of()),
    ISSUE_TYPE("issue_type", Arrays.stream(IssueType.values()).map(IssueType::wire).toList()),
    SEVERITY("severity", Arrays.stream(Severity.values()).map(Severity::wire).toList()),
    STATUS("status", List.of("open", "resolved")),
    DISMISSED("dismissed", List.of("true", "false")),
    ZONE_ID("zone_id", List.of()),
    /** A case-insensitive substring of the subject. */
    SUBJECT("subject", List.of()),
    /** The classification in force; {@code none} when unclassified or lapsed. */
    CLASSIFICATION("classification", List.of("false_positive", "accept_risk", "other", "none"));

    /** The classification in force: a lapsed one reads as none. */
    static final String EFFECTIVE_CLASSIFICATION =
            "coalesce(case when i.classification_expires_at <= now() then null"
                    + " else i.classification end, 'none')";

    final String param;
    final List<String> allowed;

    FilterField(String param, List<String> allowed) {
        this.param = param;
        this.allowed = allowed;
    }

    /** The predicate matching any of the values bound as array {@code :p}. */
    String matchAny(String p) {
        String arr = "cast(:" + p + " as text[])";
        return switch (this) {
            case ISSUE_CLASS ->
                    "(i.check_id = any("
                            + arr
                            + ") or split_part(i.check_id, '.', 1) = any("
                            + arr
                            + "))";
            case ISSUE_TYPE -> "i.issue_type = any(" + arr + ")";
            case SEVERITY -> "i.severity = any(" + arr + ")";
            case STATUS -> "i.status = any(" + arr + ")";
            case DISMISSED -> "cast(i.dismissed as text) = any(" + arr + ")";
            case ZONE_ID -> "coalesce(i.zone_id = any(" + arr + "), false)";
            case SUBJECT -> "i.subject ilike any(" + arr + ")";
            case CLASSIFICATION -> EFFECTIVE_CLASSIFICATION + " = any(" + arr + ")";
        };
    }

    /** The bound form of a value: subjects become escaped {@code %substring%} patterns. */
    String bound(String value) {
        if (this != SUBJECT) {
            return value;
        }
        return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
