package dev.vigil.alerts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a rule is made of, as a person asks for it; the constructor checks every setting that needs
 * nothing but the spec and throws {@link InvalidAlertSettingException} naming the field ({@link
 * AlertRules} checks the destination and the catalogue).
 *
 * @param triggers at least one
 * @param digestWindow required for {@link RuleMode#DIGEST}, from {@link #MIN_WINDOW} to {@link
 *     #MAX_WINDOW}; null for {@link RuleMode#IMMEDIATE}
 * @param filters by field; an absent field does not filter
 */
public record RuleSpec(
        String name,
        long destinationId,
        Set<Trigger> triggers,
        RuleMode mode,
        @Nullable Duration digestWindow,
        Map<RuleFilterField, RuleFilter> filters) {

    /** The shortest digest window: shorter is what {@code immediate} is for. */
    public static final Duration MIN_WINDOW = Duration.ofSeconds(30);

    /** The longest digest window: a day's digest. */
    public static final Duration MAX_WINDOW = Duration.ofHours(24);

    /** The most values over all of a rule's filters (as the insight filters' cap). */
    public static final int MAX_FILTER_VALUES = 100;

    public RuleSpec {
        if (name.isBlank() || name.length() > 200) {
            throw new InvalidAlertSettingException(
                    "name", "field 'name' is required: 1 to 200 characters");
        }
        if (triggers.isEmpty()) {
            throw new InvalidAlertSettingException(
                    "triggers",
                    "field 'triggers' must name at least one of opened, reopened, resolved (or be"
                            + " left out for opened)");
        }
        triggers = Set.copyOf(EnumSet.copyOf(triggers));
        checkWindow(mode, digestWindow);
        filters = checkFilters(filters);
    }

    /** The triggers in their declared order (opened, reopened, resolved). */
    public List<Trigger> orderedTriggers() {
        return List.copyOf(EnumSet.copyOf(triggers));
    }

    private static void checkWindow(RuleMode mode, @Nullable Duration window) {
        switch (mode) {
            case IMMEDIATE -> {
                if (window != null) {
                    throw new InvalidAlertSettingException(
                            "digest_window",
                            "field 'digest_window' is only for mode digest (mode immediate sends"
                                    + " one message per scan)");
                }
            }
            case DIGEST -> {
                if (window == null) {
                    throw new InvalidAlertSettingException(
                            "digest_window",
                            "field 'digest_window' is required for mode digest: an ISO-8601"
                                    + " duration from PT30S to PT24H, e.g. PT5M");
                }
                if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
                    throw new InvalidAlertSettingException(
                            "digest_window",
                            "field 'digest_window' must be from PT30S to PT24H, got " + window);
                }
            }
        }
    }

    private static Map<RuleFilterField, RuleFilter> checkFilters(
            Map<RuleFilterField, RuleFilter> filters) {
        Map<RuleFilterField, RuleFilter> out = new EnumMap<>(RuleFilterField.class);
        int total = 0;
        for (Map.Entry<RuleFilterField, RuleFilter> e : filters.entrySet()) {
            RuleFilterField f = e.getKey();
            String field = "filters." + f.wire() + (e.getValue().negated() ? "~neq" : "");
            List<String> values = new ArrayList<>();
            for (String raw : e.getValue().values()) {
                String v = raw.strip();
                if (v.isEmpty() || v.length() > 200) {
                    throw new InvalidAlertSettingException(
                            field, "field '" + field + "' holds an empty or overlong value");
                }
                if (!f.allowed().isEmpty() && !f.allowed().contains(v)) {
                    throw new InvalidAlertSettingException(
                            field,
                            "field '"
                                    + field
                                    + "' has an unknown value '"
                                    + v
                                    + "' (expected one of "
                                    + String.join(", ", f.allowed())
                                    + ")");
                }
                if (!values.contains(v)) {
                    values.add(v);
                }
            }
            if (values.isEmpty()) {
                throw new InvalidAlertSettingException(
                        field,
                        "field '"
                                + field
                                + "' must list at least one value (leave it out for any)");
            }
            total += values.size();
            out.put(f, new RuleFilter(values, e.getValue().negated()));
        }
        if (total > MAX_FILTER_VALUES) {
            throw new InvalidAlertSettingException(
                    "filters",
                    "field 'filters' names "
                            + total
                            + " values; the most accepted is "
                            + MAX_FILTER_VALUES
                            + " (cap max_filter_values)");
        }
        return Map.copyOf(out);
    }
}
