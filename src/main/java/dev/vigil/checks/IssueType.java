package dev.vigil.checks;

import java.util.Locale;

/** The class of an insight, as a security-center API names it. */
public enum IssueType {
    EXPOSED_INFRASTRUCTURE,
    INSECURE_CONFIGURATION,
    WEAK_AUTHENTICATION,
    EMAIL_SECURITY,
    COMPLIANCE_VIOLATION,
    CONFIGURATION_SUGGESTION;

    /** The lower-case name used in JSON, SQL and rule files. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the wire name.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static IssueType parse(String value) {
        for (IssueType t : values()) {
            if (t.wire().equalsIgnoreCase(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "unknown issue type '"
                        + value
                        + "' (expected one of exposed_infrastructure, insecure_configuration,"
                        + " weak_authentication, email_security, compliance_violation,"
                        + " configuration_suggestion)");
    }
}
