package dev.vigil.snapshots.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The sections of a configuration document that changed between two versions: the top-level keys
 * whose values differ (added and removed keys included). The permission markers of {@code _errors}
 * count as the sections they name: a marker that appears or disappears for {@code dns_records}
 * changes {@code dns_records}, because the checks reading it change verdict (ERROR) even when the
 * section's own value did not change.
 */
public final class ConfigDiff {
    static final String ERRORS = "_errors";

    private ConfigDiff() {}

    /** Sorted changed sections; empty when the documents are equal. */
    public static List<String> changedSections(JsonNode before, JsonNode after) {
        Set<String> out = new HashSet<>();
        Set<String> keys = new HashSet<>(before.propertyNames());
        keys.addAll(after.propertyNames());
        for (String k : keys) {
            if (k.equals(ERRORS)) {
                out.addAll(changedMarkers(before.get(ERRORS), after.get(ERRORS)));
            } else if (!same(before.get(k), after.get(k))) {
                out.add(k);
            }
        }
        return out.stream().sorted().toList();
    }

    private static Set<String> changedMarkers(@Nullable JsonNode before, @Nullable JsonNode after) {
        Set<String> out = new HashSet<>();
        Set<String> keys = new HashSet<>();
        if (before != null && before.isObject()) {
            keys.addAll(before.propertyNames());
        }
        if (after != null && after.isObject()) {
            keys.addAll(after.propertyNames());
        }
        for (String k : keys) {
            if (!same(field(before, k), field(after, k))) {
                out.add(k);
            }
        }
        return out;
    }

    private static @Nullable JsonNode field(@Nullable JsonNode node, String name) {
        return node == null || !node.isObject() ? null : node.get(name);
    }

    private static boolean same(@Nullable JsonNode a, @Nullable JsonNode b) {
        return a == null ? b == null : a.equals(b);
    }
}
