package dev.vigil.alerts;

import java.util.List;

/**
 * One filter of a rule: an insight matches when its property is one of {@code values} (OR), or,
 * {@code negated}, none of them. A rule's filters are ANDed.
 */
public record RuleFilter(List<String> values, boolean negated) {

    public RuleFilter {
        values = List.copyOf(values);
    }
}
