package dev.vigil.results;

import dev.vigil.checks.IssueType;
import dev.vigil.checks.Severity;

/**
 * One finding as sent to the results API: the check's identity and classification travel with it so
 * the API needs no rule set of its own.
 *
 * @param subject what the finding is about, for people: the zone name, the record name, the
 *     member's e-mail
 */
public record ResultFinding(
        String checkId,
        String resourceKey,
        Severity severity,
        IssueType issueType,
        String subject,
        String message) {}
