package dev.vigil.results;

import dev.vigil.checks.IssueType;
import dev.vigil.checks.Severity;
import java.util.List;

/**
 * One finding as sent to the results API: the check's identity and classification travel with it so
 * the API needs no rule set of its own.
 *
 * @param subject what the finding is about, for people: the zone name, the record name, the
 *     member's e-mail
 * @param context every offending value the check saw (see {@link dev.vigil.checks.Finding}), empty
 *     when it names none; stored apart from the insight and served by the context endpoint. The API
 *     refuses more than {@link dev.vigil.checks.Finding#MAX_CONTEXT_VALUES} values or a value
 *     longer than {@link dev.vigil.checks.Finding#MAX_CONTEXT_VALUE_CHARS} characters.
 */
public record ResultFinding(
        String checkId,
        String resourceKey,
        Severity severity,
        IssueType issueType,
        String subject,
        String message,
        List<String> context) {

    public ResultFinding {
        context = List.copyOf(context);
    }

    /** A finding without context. */
    public ResultFinding(
            String checkId,
            String resourceKey,
            Severity severity,
            IssueType issueType,
            String subject,
            String message) {
        this(checkId, resourceKey, severity, issueType, subject, message, List.of());
    }
}
