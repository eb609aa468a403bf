package dev.vigil.simulate;

import static dev.vigil.simulate.ZoneDocuments.section;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The misconfigurations a synthetic zone can carry, one per zone check. Each plant changes a clean
 * document so that exactly its own check fails (or, for {@code api.sensitive_data_exposed}, also
 * the check it implies) and returns the resource keys of the expected findings.
 */
final class ZonePlants {

    /** One plantable misconfiguration; {@code group} plants exclude each other (same setting). */
    record Plant(String checkId, String group, Planter planter) {}

    @FunctionalInterface
    interface Planter {
        /** Returns the expected findings as (check id, resource key) pairs. */
        List<String[]> plant(Gen g, Map<String, Object> doc, String apex);
    }

    static final List<Plant> ALL =
            List.of(
                    one(
                            "dns.a_record_dangling",
                            "",
                            (g, d, apex) -> {
                                String ip = g.publicV4();
                                String id =
                                        ZoneDocuments.add(
                                                d,
                                                ZoneDocuments.record(
                                                        g, "A", "legacy." + apex, ip, true));
                                ZoneDocuments.resolution(d)
                                        .put(ip, g.chance(0.5) ? "unassigned" : "unreachable");
                                return id;
                            }),
                    one(
                            "dns.aaaa_record_dangling",
                            "",
                            (g, d, apex) -> {
                                String ip = g.publicV6();
                                String id =
                                        ZoneDocuments.add(
                                                d,
                                                ZoneDocuments.record(
                                                        g, "AAAA", "old-v6." + apex, ip, true));
                                ZoneDocuments.resolution(d).put(ip, "unassigned");
                                return id;
                            }),
                    one(
                            "dns.cname_record_dangling",
                            "",
                            (g, d, apex) -> {
                                String target = "old-" + g.between(1, 999) + ".herokuapp.com";
                                String id =
                                        ZoneDocuments.add(
                                                d,
                                                ZoneDocuments.record(
                                                        g, "CNAME", "promo." + apex, target, true));
                                ZoneDocuments.resolution(d).put(target, "NXDOMAIN");
                                return id;
                            }),
                    one(
                            "dns.a_record_unproxied",
                            "",
                            (g, d, apex) ->
                                    ZoneDocuments.addAddress(
                                            g, d, "A", "origin." + apex, g.publicV4(), false)),
                    one(
                            "dns.aaaa_record_unproxied",
                            "",
                            (g, d, apex) ->
                                    ZoneDocuments.addAddress(
                                            g, d, "AAAA", "origin6." + apex, g.publicV6(), false)),
                    one(
                            "dns.cname_record_unproxied",
                            "",
                            (g, d, apex) ->
                                    ZoneDocuments.addCname(
                                            g,
                                            d,
                                            "files." + apex,
                                            "bucket-" + g.between(1, 99) + ".s3.amazonaws.com",
                                            false)),
                    one(
                            "dns.private_ip_in_public_dns",
                            "",
                            (g, d, apex) -> {
                                String ip = g.privateAddress();
                                return ZoneDocuments.addAddress(
                                        g,
                                        d,
                                        ip.contains(":") ? "AAAA" : "A",
                                        "intranet." + apex,
                                        ip,
                                        false);
                            }),
                    one(
                            "dns.wildcard_record",
                            "",
                            (g, d, apex) ->
                                    ZoneDocuments.addAddress(
                                            g, d, "A", "*." + apex, g.publicV4(), true)),
                    zone(
                            "dns.dnssec_disabled",
                            "",
                            (g, d) ->
                                    section(d, "dnssec")
                                            .put("status", g.pick(List.of("disabled", "pending")))),
                    zone("dns.caa_missing", "", (g, d) -> removeRecords(d, "CAA", "")),
                    zone("email.spf_missing", "spf", (g, d) -> removeRecords(d, "TXT", "spf1")),
                    zone(
                            "email.spf_permissive",
                            "spf",
                            (g, d) -> {
                                if (g.chance(0.5)) {
                                    replaceContent(
                                            d,
                                            "spf1",
                                            g.pick(
                                                    List.of(
                                                            "v=spf1 +all",
                                                            "v=spf1 include:_spf.google.com ?all",
                                                            "v=spf1 a mx all")));
                                } else {
                                    String apex = String.valueOf(section(d, "zone").get("name"));
                                    ZoneDocuments.add(
                                            d,
                                            ZoneDocuments.record(
                                                    g,
                                                    "TXT",
                                                    apex,
                                                    "v=spf1 include:mailgun.org ~all",
                                                    false));
                                }
                            }),
                    zone(
                            "email.dmarc_missing",
                            "dmarc",
                            (g, d) -> removeRecords(d, "TXT", "DMARC1")),
                    zone(
                            "email.dmarc_policy_none",
                            "dmarc",
                            (g, d) ->
                                    replaceContent(
                                            d,
                                            "DMARC1",
                                            "v=DMARC1; p=none; rua=mailto:reports@example.net")),
                    zone("email.dkim_missing", "", (g, d) -> removeRecords(d, "TXT", "DKIM1")),
                    setting("tls.ssl_off", "ssl", "ssl", "off"),
                    setting("tls.ssl_flexible", "ssl", "ssl", "flexible"),
                    setting("tls.ssl_not_strict", "ssl", "ssl", "full"),
                    setting("tls.min_version_below_1_2", "", "min_tls_version", "1.0"),
                    setting("tls.tls_1_3_disabled", "", "tls_1_3", "off"),
                    setting("tls.always_use_https_disabled", "", "always_use_https", "off"),
                    setting(
                            "tls.automatic_https_rewrites_disabled",
                            "",
                            "automatic_https_rewrites",
                            "off"),
                    zone("tls.hsts_disabled", "hsts", (g, d) -> hsts(d).put("enabled", false)),
                    zone(
                            "tls.hsts_weak",
                            "hsts",
                            (g, d) -> {
                                if (g.chance(0.5)) {
                                    hsts(d).put("max_age", 86_400L);
                                } else {
                                    hsts(d).put("include_subdomains", false);
                                }
                            }),
                    zone(
                            "tls.universal_ssl_disabled",
                            "",
                            (g, d) -> section(d, "universal_ssl").put("enabled", false)),
                    zone(
                            "waf.managed_rules_not_deployed",
                            "",
                            (g, d) -> emptyPhase(d, "http_request_firewall_managed")),
                    zone(
                            "waf.rate_limiting_missing",
                            "",
                            (g, d) -> emptyPhase(d, "http_ratelimit")),
                    zone("waf.no_blocking_custom_rules", "", (g, d) -> customRuleAction(d, "log")),
                    setting("waf.security_level_off", "level", "security_level", "essentially_off"),
                    zone(
                            "waf.under_attack_left_on",
                            "level",
                            (g, d) -> {
                                section(d, "settings").put("security_level", "under_attack");
                                if (g.chance(0.5)) {
                                    section(d, "settings")
                                            .put(
                                                    "security_level_intended_until",
                                                    "2025-12-30T00:00:00Z");
                                }
                            }),
                    setting("waf.browser_check_disabled", "", "browser_check", "off"),
                    setting("zone.development_mode_on", "", "development_mode", "on"),
                    setting("zone.email_obfuscation_disabled", "", "email_obfuscation", "off"),
                    setting("zone.hotlink_protection_disabled", "", "hotlink_protection", "off"),
                    zone(
                            "bots.fight_mode_disabled",
                            "",
                            (g, d) -> section(d, "bot_management").put("fight_mode", false)),
                    zone(
                            "bots.js_detection_disabled",
                            "",
                            (g, d) -> section(d, "bot_management").put("enable_js", false)),
                    zone(
                            "client.page_shield_disabled",
                            "",
                            (g, d) -> section(d, "page_shield").put("enabled", false)),
                    api(
                            "api.unauthenticated_endpoint",
                            (g, ops) ->
                                    opId(ops, ZoneDocuments.operation(g, "none", true, List.of()))),
                    api(
                            "api.mixed_auth_endpoint",
                            (g, ops) ->
                                    opId(
                                            ops,
                                            ZoneDocuments.operation(g, "mixed", true, List.of()))),
                    api(
                            "api.schema_validation_missing",
                            (g, ops) ->
                                    opId(
                                            ops,
                                            ZoneDocuments.operation(
                                                    g, "required", false, List.of()))),
                    new Plant(
                            "api.sensitive_data_exposed",
                            "",
                            (g, d, apex) -> {
                                String id =
                                        opId(
                                                operations(d),
                                                ZoneDocuments.operation(
                                                        g,
                                                        "none",
                                                        true,
                                                        List.of("email", "credit_card")));
                                return List.of(
                                        new String[] {"api.sensitive_data_exposed", id},
                                        new String[] {"api.unauthenticated_endpoint", id});
                            }));

    private ZonePlants() {}

    private interface RecordPlanter {
        String plant(Gen g, Map<String, Object> doc, String apex);
    }

    private interface ZonePlanter {
        void plant(Gen g, Map<String, Object> doc);
    }

    private static Plant one(String id, String group, RecordPlanter p) {
        return new Plant(
                id,
                group,
                (g, d, apex) -> List.<String[]>of(new String[] {id, p.plant(g, d, apex)}));
    }

    private static Plant zone(String id, String group, ZonePlanter p) {
        return new Plant(
                id,
                group,
                (g, d, apex) -> {
                    p.plant(g, d);
                    return List.<String[]>of(new String[] {id, "zone"});
                });
    }

    private static Plant setting(String id, String group, String field, String value) {
        return zone(id, group, (g, d) -> section(d, "settings").put(field, value));
    }

    private static Plant api(
            String id, java.util.function.BiFunction<Gen, List<Object>, String> p) {
        return new Plant(
                id,
                "",
                (g, d, apex) -> List.<String[]>of(new String[] {id, p.apply(g, operations(d))}));
    }

    @SuppressWarnings("unchecked")
    static List<Object> operations(Map<String, Object> doc) {
        return (List<Object>) req(section(doc, "api_gateway").get("operations"));
    }

    private static String opId(List<Object> ops, Map<String, Object> op) {
        ops.add(op);
        return String.valueOf(op.get("operation_id"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> hsts(Map<String, Object> d) {
        return (Map<String, Object>)
                req(
                        ((Map<String, Object>) req(section(d, "settings").get("security_header")))
                                .get("strict_transport_security"));
    }

    @SuppressWarnings("unchecked")
    private static void emptyPhase(Map<String, Object> d, String phase) {
        for (Object rs : (List<Object>) req(d.get("rulesets"))) {
            Map<String, Object> m = (Map<String, Object>) rs;
            if (phase.equals(m.get("phase"))) {
                m.put("rules", new ArrayList<>());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void customRuleAction(Map<String, Object> d, String action) {
        for (Object rs : (List<Object>) req(d.get("rulesets"))) {
            Map<String, Object> m = (Map<String, Object>) rs;
            if ("http_request_firewall_custom".equals(m.get("phase"))) {
                for (Object r : (List<Object>) req(m.get("rules"))) {
                    ((Map<String, Object>) r).put("action", action);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void removeRecords(Map<String, Object> d, String type, String contentMarker) {
        ZoneDocuments.records(d)
                .removeIf(
                        o -> {
                            Map<String, Object> r = (Map<String, Object>) o;
                            return type.equals(r.get("type"))
                                    && String.valueOf(r.get("content")).contains(contentMarker);
                        });
    }

    @SuppressWarnings("unchecked")
    private static void replaceContent(
            Map<String, Object> d, String contentMarker, String content) {
        for (Object o : ZoneDocuments.records(d)) {
            Map<String, Object> r = (Map<String, Object>) o;
            if ("TXT".equals(r.get("type"))
                    && String.valueOf(r.get("content")).contains(contentMarker)) {
                r.put("content", content);
            }
        }
    }

    private static Object req(@org.jspecify.annotations.Nullable Object o) {
        return java.util.Objects.requireNonNull(
                o, "baseline document lacks a section a plant needs");
    }
}
