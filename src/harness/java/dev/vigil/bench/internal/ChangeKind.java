package dev.vigil.bench.internal;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Which section of a zone's configuration a benchmark push changes. Each kind has two variants of a
 * document that differ in that one section only, so that pushing them in turn is a one-section
 * change every time; which checks the change workers run then depends on the section (each check
 * names the sections it reads).
 */
public enum ChangeKind {
    /** The zone's TLS mode between {@code full} and {@code strict}: 15 checks read settings. */
    SETTINGS("settings") {
        @Override
        void apply(ObjectNode doc, int variant) {
            JsonNode settings = doc.get("settings");
            ObjectNode s = settings instanceof ObjectNode o ? o : doc.putObject("settings");
            s.put("ssl", variant == 0 ? "full" : "strict");
        }
    },
    /**
     * A verification TXT record at the zone's apex whose content changes, as a domain-verification
     * token is rotated: 14 checks read DNS records, most of them over every record.
     */
    DNS_RECORDS("dns_records") {
        @Override
        void apply(ObjectNode doc, int variant) {
            String apex = doc.path("zone").path("name").asString("example.com");
            ObjectNode r = list(doc, "dns_records").addObject();
            r.put("id", "bench-verification-txt");
            r.put("type", "TXT");
            r.put("name", apex);
            r.put("content", "bench-verification=" + variant);
            r.put("proxied", false);
            r.put("ttl", 1);
        }
    },
    /**
     * A custom firewall rule that only logs, whose description changes, as rules are edited: 3
     * checks read rulesets.
     */
    RULESETS("rulesets") {
        @Override
        void apply(ObjectNode doc, int variant) {
            ObjectNode set = list(doc, "rulesets").addObject();
            set.put("phase", "http_request_firewall_custom");
            ObjectNode rule = set.putArray("rules").addObject();
            rule.put("id", "bench-log-rule");
            rule.put("action", "log");
            rule.put("enabled", true);
            rule.put("description", "bench edit " + variant);
        }
    };

    private final String section;

    ChangeKind(String section) {
        this.section = section;
    }

    /** The top-level section the change touches. */
    public String section() {
        return section;
    }

    /** Changes {@code doc} (a copy of the zone's document) to variant 0 or 1 of this kind. */
    abstract void apply(ObjectNode doc, int variant);

    /** The array section {@code name} of {@code doc}, created empty when it has none. */
    private static ArrayNode list(ObjectNode doc, String name) {
        return doc.get(name) instanceof ArrayNode a ? a : doc.putArray(name);
    }
}
