package dev.vigil.checks;

import java.util.List;

/**
 * One offending resource found by a failing check.
 *
 * @param checkId the stable check id, e.g. {@code dns.a_record_unproxied}
 * @param resourceKey the offending object's stable id (record id, member id, token id) or {@code
 *     zone} / {@code account} for a target-wide finding
 * @param message a human sentence built from the offending values
 * @param context every offending value the rule saw for this finding (its {@code context}
 *     expression), in the rule's order; empty when the rule names none. At most {@link
 *     #MAX_CONTEXT_VALUES} values of at most {@link #MAX_CONTEXT_VALUE_CHARS} characters each.
 */
public record Finding(String checkId, String resourceKey, String message, List<String> context) {

    /**
     * The cap on context values per finding: a 100,000-record zone's worth. The evaluator keeps the
     * first ones past it (the message carries the true count); the results API refuses more.
     */
    public static final int MAX_CONTEXT_VALUES = 100_000;

    /** The cap on one context value's length; the evaluator truncates longer ones. */
    public static final int MAX_CONTEXT_VALUE_CHARS = 1_024;

    public Finding {
        context = List.copyOf(context);
    }

    /** A finding without context. */
    public Finding(String checkId, String resourceKey, String message) {
        this(checkId, resourceKey, message, List.of());
    }
}
