package dev.vigil.sources.cloudflare.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The zone document of the check catalogue, built from the Cloudflare API v4 as the mapping table
 * of {@code reference/CHECKS.md} says, one section per endpoint (or per group of endpoints). Fields
 * the catalogue does not read are not copied.
 */
public final class ZoneSections {

    /** The phases the catalogue's WAF checks read. */
    static final List<String> PHASES =
            List.of(
                    "http_request_firewall_managed",
                    "http_ratelimit",
                    "http_request_firewall_custom");

    /** DNS records per page: the API allows far more; this bounds one answer to a few MiB. */
    static final int DNS_PAGE = 5_000;

    private final CloudflareClient api;
    private final DnsLookups dns;

    public ZoneSections(CloudflareClient api, DnsLookups dns) {
        this.api = api;
        this.dns = dns;
    }

    /**
     * The zone's document. The zone object itself is the one section without which there is no
     * document: its failure is thrown.
     *
     * @throws ApiException when {@code /zones/{id}} cannot be read
     */
    public ObjectNode build(String zoneId) {
        String z = "/zones/" + zoneId;
        JsonNode zone = api.get(z);
        Sections s = new Sections();
        s.doc().set("zone", zone(zone));
        String name = zone.path("name").asString("");
        String accountId = zone.path("account").path("id").asString("");
        s.section("settings", () -> settings(api.get(z + "/settings")));
        s.section("universal_ssl", () -> pick(api.get(z + "/ssl/universal/settings"), "enabled"));
        s.section(
                "certificate_packs", () -> certificatePacks(api.get(z + "/ssl/certificate_packs")));
        s.section("dnssec", () -> pick(api.get(z + "/dnssec"), "status"));
        s.section(
                "dns_records", () -> dnsRecords(api.pages(z + "/dns_records", Map.of(), DNS_PAGE)));
        if (s.failed("dns_records")) {
            s.error("dns_resolution", "not_resolved: the DNS records could not be read");
        } else {
            resolve(s);
        }
        s.section("rulesets", () -> rulesets(z));
        s.section("bot_management", () -> botManagement(api.get(z + "/bot_management")));
        s.section("page_shield", () -> pick(api.get(z + "/page_shield"), "enabled"));
        s.section(
                "turnstile_widgets",
                () ->
                        widgets(
                                api.pages(
                                        "/accounts/" + accountId + "/challenges/widgets",
                                        Map.of(),
                                        25),
                                name));
        s.section(
                "api_gateway",
                () ->
                        apiGateway(
                                api.pages(
                                        z + "/api_gateway/operations",
                                        Map.of("feature", "schema_info"),
                                        50)));
        return s.finish();
    }

    private static ObjectNode zone(JsonNode z) {
        ObjectNode out = Sections.NODES.objectNode();
        out.put("id", z.path("id").asString(""));
        out.put("name", z.path("name").asString(""));
        copy(z, out, "status");
        copy(z, out, "paused");
        copy(z, out, "type");
        if (z.path("plan").path("legacy_id").isString()) {
            out.put("plan", z.path("plan").path("legacy_id").asString());
        }
        out.put("account_id", z.path("account").path("id").asString(""));
        return out;
    }

    /**
     * {@code [{id, value}]} to {@code {id: value}}; {@code security_header}'s value is the HSTS
     * object.
     */
    static ObjectNode settings(JsonNode list) {
        ObjectNode out = Sections.NODES.objectNode();
        for (JsonNode setting : list) {
            if (setting.path("id").isString() && setting.has("value")) {
                out.set(setting.get("id").asString(), setting.get("value"));
            }
        }
        return out;
    }

    /**
     * Other certificates than the Universal SSL one: they count for {@code
     * tls.universal_ssl_disabled}.
     */
    private static ArrayNode certificatePacks(JsonNode list) {
        ArrayNode out = Sections.NODES.arrayNode();
        for (JsonNode p : list) {
            if (!"universal".equalsIgnoreCase(p.path("type").asString(""))) {
                ObjectNode o = out.addObject();
                copy(p, o, "id");
                copy(p, o, "type");
                copy(p, o, "status");
            }
        }
        return out;
    }

    private static ArrayNode dnsRecords(List<JsonNode> records) {
        ArrayNode out = Sections.NODES.arrayNode();
        for (JsonNode r : records) {
            ObjectNode o = out.addObject();
            for (String f : List.of("id", "type", "name", "content", "proxied", "ttl")) {
                copy(r, o, f);
            }
        }
        return out;
    }

    /** Looks up every CNAME target; a resolver that does not answer errors the section. */
    private void resolve(Sections s) {
        Set<String> targets = new LinkedHashSet<>();
        for (JsonNode r : s.doc().path("dns_records")) {
            if ("CNAME".equalsIgnoreCase(r.path("type").asString(""))
                    && r.path("content").isString()) {
                targets.add(canonical(r.path("content").asString()));
            }
        }
        try {
            ObjectNode out = Sections.NODES.objectNode();
            dns.resolve(targets).forEach(out::put);
            s.doc().set("dns_resolution", out);
        } catch (DnsLookups.ResolverUnavailable e) {
            s.error("dns_resolution", "resolver_unavailable: " + e.getMessage());
        }
    }

    /**
     * The zone's own phase entrypoints, as the catalogue reads them: the cursor listing tells which
     * phases the zone has deployed rules in ({@code kind: zone}); those entrypoints are fetched
     * with their rules, a phase without one is {@code rules: []} without a request (and a 404
     * entrypoint likewise). Cloudflare's managed rulesets the listing offers ({@code kind:
     * managed}) are kept, without rules, as what they are: available, not deployed.
     */
    private ArrayNode rulesets(String z) {
        List<JsonNode> listed = api.cursorPages(z + "/rulesets", 50);
        Set<String> deployed = new LinkedHashSet<>();
        ArrayNode out = Sections.NODES.arrayNode();
        for (JsonNode rs : listed) {
            String kind = rs.path("kind").asString("");
            String phase = rs.path("phase").asString("");
            if (kind.equals("zone")) {
                deployed.add(phase);
            } else if (PHASES.contains(phase)) {
                ObjectNode o = out.addObject();
                copy(rs, o, "id");
                copy(rs, o, "name");
                o.put("kind", kind);
                o.put("phase", phase);
            }
        }
        for (String phase : PHASES) {
            ObjectNode o = out.addObject();
            o.put("kind", "zone");
            o.put("phase", phase);
            ArrayNode rules = o.putArray("rules");
            if (!deployed.contains(phase)) {
                continue;
            }
            JsonNode entry;
            try {
                entry = api.get(z + "/rulesets/phases/" + phase + "/entrypoint");
            } catch (ApiException e) {
                if (e.kind() == ApiException.Kind.NOT_FOUND) {
                    continue;
                }
                throw e;
            }
            copy(entry, o, "id");
            for (JsonNode rule : entry.path("rules")) {
                ObjectNode r = rules.addObject();
                for (String f : List.of("id", "action", "enabled", "description", "expression")) {
                    copy(rule, r, f);
                }
            }
        }
        return out;
    }

    /**
     * As returned; on plans whose answer has Super Bot Fight Mode fields instead of {@code
     * fight_mode}, it is true when definitely automated traffic is blocked or challenged.
     */
    private static ObjectNode botManagement(JsonNode b) {
        ObjectNode out = Sections.NODES.objectNode();
        copy(b, out, "enable_js");
        if (b.has("fight_mode")) {
            copy(b, out, "fight_mode");
        } else if (b.has("sbfm_definitely_automated")) {
            String a = b.path("sbfm_definitely_automated").asString("");
            out.put("fight_mode", a.equals("block") || a.equals("managed_challenge"));
        }
        return out;
    }

    private static ArrayNode widgets(List<JsonNode> all, String zoneName) {
        ArrayNode out = Sections.NODES.arrayNode();
        String apex = canonical(zoneName);
        for (JsonNode w : all) {
            boolean mine = false;
            for (JsonNode d : w.path("domains")) {
                String dn = canonical(d.asString(""));
                mine |= dn.equals(apex) || dn.endsWith("." + apex);
            }
            if (mine) {
                ObjectNode o = out.addObject();
                for (String f : List.of("sitekey", "name", "mode", "domains", "bot_fight_mode")) {
                    copy(w, o, f);
                }
            }
        }
        return out;
    }

    /**
     * Operations with {@code features.schema_validation} where the API's schema information settles
     * it: false when no schema is active or the operation's action is {@code none}, true when
     * requests failing the active schema are logged or blocked. An action of null inherits the
     * zone's default action, which this listing does not show, so the field stays absent (NOT
     * APPLICABLE), as it does without schema information. {@code features.auth} and {@code
     * sensitive_data} are not offered per operation by the API and stay absent too.
     */
    private static ObjectNode apiGateway(List<JsonNode> ops) {
        ObjectNode out = Sections.NODES.objectNode();
        ArrayNode list = out.putArray("operations");
        for (JsonNode op : ops) {
            ObjectNode o = list.addObject();
            for (String f : List.of("operation_id", "method", "endpoint", "host")) {
                copy(op, o, f);
            }
            JsonNode info = op.path("features").path("schema_info");
            if (!info.isObject()) {
                continue;
            }
            JsonNode action = info.path("mitigation_action");
            if (!info.path("active_schema").isObject() || "none".equals(action.asString(""))) {
                o.putObject("features").put("schema_validation", false);
            } else if (action.isString()) {
                String a = action.asString();
                o.putObject("features")
                        .put("schema_validation", a.equals("log") || a.equals("block"));
            }
        }
        return out;
    }

    private static ObjectNode pick(JsonNode from, String field) {
        ObjectNode out = Sections.NODES.objectNode();
        copy(from, out, field);
        return out;
    }

    static void copy(JsonNode from, ObjectNode to, String field) {
        JsonNode v = from.get(field);
        if (v != null && !v.isNull()) {
            to.set(field, v);
        }
    }

    static String canonical(String name) {
        String s = name.strip().toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : array) {
            out.add(e.asString(""));
        }
        return out;
    }
}
