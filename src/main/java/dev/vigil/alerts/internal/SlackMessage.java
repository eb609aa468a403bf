package dev.vigil.alerts.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vigil.alerts.AlertEvent;
import dev.vigil.alerts.AlertMessage;
import dev.vigil.checks.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A message as a Slack incoming webhook takes it: Block Kit blocks (a header, the counts by
 * severity, the {@value #TOP} worst events linked to the dashboard, a line for the rest) and the
 * {@code text} fallback that notifications and old clients show. Text from insights is escaped for
 * {@code mrkdwn} ({@code &}, {@code <}, {@code >}), so a subject cannot forge a link or a mention.
 *
 * @param text the fallback: the title
 */
public record SlackMessage(String text, List<Block> blocks) {

    /** Events shown one by one; a message holds at most 50 blocks, and a reader skims 10. */
    public static final int TOP = 10;

    /** Slack's limits: a header's text, a section's text. */
    private static final int HEADER_MAX = 150;

    private static final int SECTION_MAX = 3000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One block; the fields a type does not use are left out of the JSON. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Block(String type, @Nullable Text text, @Nullable List<Text> elements) {}

    /** A text object: {@code plain_text} or {@code mrkdwn}. */
    public record Text(String type, String text) {}

    /** The Slack message of {@code m}. */
    public static SlackMessage of(AlertMessage m) {
        String title = Digest.title(m);
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Block("header", new Text("plain_text", cut(title, HEADER_MAX)), null));
        blocks.add(new Block("section", mrkdwn(counts(Digest.countsBySeverity(m))), null));
        blocks.add(new Block("divider", null, null));
        List<AlertEvent> events = Digest.worstFirst(m);
        for (AlertEvent e : events.subList(0, Math.min(TOP, events.size()))) {
            blocks.add(new Block("section", mrkdwn(event(e, m)), null));
        }
        String home = "<" + Digest.home(m.dashboard()) + "|Open the Vigil dashboard>";
        String more =
                events.size() > TOP ? "and " + (events.size() - TOP) + " more · " + home : home;
        blocks.add(new Block("context", null, List.of(new Text("mrkdwn", more))));
        return new SlackMessage(title, blocks);
    }

    private static String counts(Map<Severity, Integer> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((s, n) -> parts.add("*" + Digest.label(s) + "*: " + n));
        return parts.isEmpty() ? "No events" : String.join("   ", parts);
    }

    private static String event(AlertEvent e, AlertMessage m) {
        String line =
                "*<"
                        + Digest.insightLink(m.dashboard(), e.insightId())
                        + "|"
                        + escape(e.subject())
                        + ">*\n"
                        + Digest.label(e.severity())
                        + " · "
                        + e.trigger().wire()
                        + " · `"
                        + escape(e.checkId())
                        + "`"
                        + (e.zoneId() == null ? "" : " · zone " + escape(e.zoneId()))
                        + "\n"
                        + escape(e.message());
        return cut(line, SECTION_MAX);
    }

    private static Text mrkdwn(String text) {
        return new Text("mrkdwn", text);
    }

    /** Escapes the three characters Slack's {@code mrkdwn} gives a meaning to. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** The JSON body. */
    public byte[] json() {
        return JSON.writeValueAsBytes(this);
    }
}
