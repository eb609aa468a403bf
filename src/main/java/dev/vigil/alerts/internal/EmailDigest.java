package dev.vigil.alerts.internal;

import dev.vigil.alerts.AlertEvent;
import dev.vigil.alerts.AlertMessage;
import dev.vigil.checks.Severity;
import java.util.List;
import java.util.Map;

/**
 * A message as an e-mail digest: the subject, a plain-text part and an HTML part listing every
 * event worst first, each linked to the dashboard. Everything that comes from an insight is
 * HTML-escaped in the HTML part (a subject is whatever a scanned configuration holds), and line
 * breaks are folded out of the subject so it cannot add a header.
 */
public record EmailDigest(String subject, String text, String html) {

    /** The digest of {@code m}. */
    public static EmailDigest of(AlertMessage m) {
        String title = Digest.title(m).replaceAll("[\\r\\n]+", " ");
        List<AlertEvent> events = Digest.worstFirst(m);
        return new EmailDigest("[Vigil] " + title, text(m, title, events), html(m, title, events));
    }

    private static String text(AlertMessage m, String title, List<AlertEvent> events) {
        StringBuilder s = new StringBuilder(title).append("\n\n");
        s.append(counts(Digest.countsBySeverity(m))).append("\n\n");
        for (AlertEvent e : events) {
            s.append("- [")
                    .append(e.severity().wire())
                    .append(", ")
                    .append(e.trigger().wire())
                    .append("] ")
                    .append(e.subject())
                    .append("\n  ")
                    .append(e.checkId())
                    .append(e.zoneId() == null ? "" : " · zone " + e.zoneId())
                    .append(" · ")
                    .append(e.at())
                    .append("\n  ")
                    .append(e.message())
                    .append("\n  ")
                    .append(Digest.insightLink(m.dashboard(), e.insightId()))
                    .append("\n\n");
        }
        s.append("Dashboard: ").append(Digest.home(m.dashboard())).append('\n');
        if (m.test()) {
            s.append("\nThis is a test message: its events are samples.\n");
        }
        return s.toString();
    }

    private static String html(AlertMessage m, String title, List<AlertEvent> events) {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title))
                .append("</title></head>\n<body style=\"font-family:sans-serif\">\n<h1>")
                .append(escape(title))
                .append("</h1>\n<p>")
                .append(escape(counts(Digest.countsBySeverity(m))))
                .append("</p>\n<table cellpadding=\"6\" style=\"border-collapse:collapse\">\n")
                .append("<tr><th align=\"left\">Severity</th><th align=\"left\">Event</th>")
                .append("<th align=\"left\">Insight</th><th align=\"left\">Check</th>")
                .append("<th align=\"left\">Zone</th><th align=\"left\">At</th></tr>\n");
        for (AlertEvent e : events) {
            s.append("<tr><td>")
                    .append(escape(Digest.label(e.severity())))
                    .append("</td><td>")
                    .append(escape(e.trigger().wire()))
                    .append("</td><td><a href=\"")
                    .append(escape(Digest.insightLink(m.dashboard(), e.insightId())))
                    .append("\">")
                    .append(escape(e.subject()))
                    .append("</a><br>")
                    .append(escape(e.message()))
                    .append("</td><td><code>")
                    .append(escape(e.checkId()))
                    .append("</code></td><td>")
                    .append(e.zoneId() == null ? "" : escape(e.zoneId()))
                    .append("</td><td>")
                    .append(escape(e.at().toString()))
                    .append("</td></tr>\n");
        }
        s.append("</table>\n<p><a href=\"")
                .append(escape(Digest.home(m.dashboard())))
                .append("\">Open the Vigil dashboard</a></p>\n");
        if (m.test()) {
            s.append("<p><em>This is a test message: its events are samples.</em></p>\n");
        }
        return s.append("</body></html>\n").toString();
    }

    private static String counts(Map<Severity, Integer> counts) {
        StringBuilder s = new StringBuilder();
        counts.forEach(
                (sev, n) ->
                        s.append(s.isEmpty() ? "" : ", ")
                                .append(Digest.label(sev))
                                .append(": ")
                                .append(n));
        return s.isEmpty() ? "No events" : s.toString();
    }

    /** Escapes text for HTML element content and double-quoted attribute values. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
