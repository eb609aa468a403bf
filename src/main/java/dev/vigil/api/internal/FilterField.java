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
    ISSUE_CLASS("issue_class"),
    ISSUE_TYPE("issue_type"),
    SEVERITY("severity"),
    STATUS("status"),
    DISMISSED("dismissed"),
    ZONE_ID("zone_id"),
    /** A case-insensitive substring of the subject. */
    SUBJECT("subject"),
    /** The classification in force; {@code none} when unclassified or lapsed. */
    CLASSIFICATION("classification"),
    /**
     * A compliance framework ({@code cis_v8}) or one of its controls ({@code cis_v8:4.1}), bound as
     * the ids of the checks mapped to it ({@link ComplianceCatalogue#checksOf}).
     */
    COMPLIANCE("compliance");

    /** The classification in force: a lapsed one reads as none. */
    static final String EFFECTIVE_CLASSIFICATION =
            "coalesce(case when i.classification_expires_at <= now() then null"
                    + " else i.classification end, 'none')";

    private static final List<String> ISSUE_TYPES =
            Arrays.stream(IssueType.values()).map(IssueType::wire).toList();
    private static final List<String> SEVERITIES =
            Arrays.stream(Severity.values()).map(Severity::wire).toList();

    final String param;

    FilterField(String param) {
        this.param = param;
    }

    /**
     * The values accepted; empty: any. (A method, not a field: an enum's fields are shared by every
     * caller and must not be of a mutable type.)
     */
    List<String> allowed() {
        return switch (this) {
            case ISSUE_CLASS, ZONE_ID, SUBJECT, COMPLIANCE -> List.of();
            case ISSUE_TYPE -> ISSUE_TYPES;
            case SEVERITY -> SEVERITIES;
            case STATUS -> List.of("open", "resolved");
            case DISMISSED -> List.of("true", "false");
            case CLASSIFICATION -> List.of("false_positive", "accept_risk", "other", "none");
        };
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
            case COMPLIANCE -> "i.check_id = any(" + arr + ")";
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
