package dev.vigil.checks.internal;

import dev.vigil.checks.CheckDefinition;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A rule file after YAML parsing and field validation, before CEL compilation.
 *
 * @param onMissing per section read: what a missing section yields (absent means NOT_APPLICABLE)
 * @param context optional expression listing a finding's offending values (its context)
 */
public record ParsedRule(
        RuleSource source,
        CheckDefinition definition,
        Map<String, MissingPolicy> onMissing,
        @Nullable String applies,
        @Nullable String forEach,
        @Nullable String resourceKey,
        String assertion,
        String message,
        @Nullable String context) {

    /** What a check yields when a section it reads is absent from the document. */
    public enum MissingPolicy {
        NOT_APPLICABLE,
        ERROR,
        /** The section may be absent; the expressions handle its absence (e.g. with {@code ?.}). */
        OPTIONAL
    }
}
