package dev.vigil.alerts.internal;

import dev.vigil.alerts.AlertEvent;
import dev.vigil.alerts.AlertMessage;
import dev.vigil.alerts.Trigger;
import dev.vigil.checks.Severity;
import java.net.URI;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every rendering of a message shares: the title, the counts by severity, the events worst
 * first, and the dashboard links.
 */
public final class Digest {

    /** Worst first, then newest first, then by insight id so the order is total. */
    private static final Comparator<AlertEvent> WORST_FIRST =
            Comparator.comparing(AlertEvent::severity)
                    .reversed()
                    .thenComparing(AlertEvent::at, Comparator.reverseOrder())
                    .thenComparingLong(AlertEvent::insightId);

    private Digest() {}

    /** The events, worst first. */
    public static List<AlertEvent> worstFirst(AlertMessage m) {
        return m.events().stream().sorted(WORST_FIRST).toList();
    }

    /** Events per severity, worst first, severities without events left out. */
    public static Map<Severity, Integer> countsBySeverity(AlertMessage m) {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (AlertEvent e : m.events()) {
            counts.merge(e.severity(), 1, Integer::sum);
        }
        Map<Severity, Integer> worstFirst = new LinkedHashMap<>();
        List<Severity> order = List.of(Severity.values()).reversed();
        for (Severity s : order) {
            Integer n = counts.get(s);
            if (n != null) {
                worstFirst.put(s, n);
            }
        }
        return worstFirst;
    }

    /**
     * The title, e.g. {@code "Vigil: 3 insights opened, 1 resolved in account acme (rule prod)"}; a
     * test message says so first.
     */
    public static String title(AlertMessage m) {
        Map<Trigger, Integer> byTrigger = new EnumMap<>(Trigger.class);
        for (AlertEvent e : m.events()) {
            byTrigger.merge(e.trigger(), 1, Integer::sum);
        }
        StringBuilder s = new StringBuilder(m.test() ? "Vigil test: " : "Vigil: ");
        boolean first = true;
        for (Map.Entry<Trigger, Integer> t : byTrigger.entrySet()) {
            s.append(first ? "" : ", ").append(t.getValue());
            if (first) {
                s.append(t.getValue() == 1 ? " insight " : " insights ");
            } else {
                s.append(' ');
            }
            s.append(t.getKey().wire());
            first = false;
        }
        if (first) {
            s.append("no insight events");
        }
        return s.append(" in account ")
                .append(m.accountId())
                .append(" (rule ")
                .append(m.ruleName())
                .append(")")
                .toString();
    }

    /** The dashboard's page of one insight: {@code dashboard + "#/insights/" + id}. */
    public static String insightLink(URI dashboard, long insightId) {
        return home(dashboard) + "#/insights/" + insightId;
    }

    /** The dashboard's address, ending in {@code /}. */
    public static String home(URI dashboard) {
        String d = dashboard.toString();
        return d.endsWith("/") ? d : d + "/";
    }

    /** {@code "critical"} as a heading word: {@code "Critical"}. */
    public static String label(Severity s) {
        String w = s.wire();
        return Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }
}
