package dev.vigil.simulate;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a clean zone document (it passes, or is not applicable to, every check) in the shape of
 * CHECKS.md. Mutable maps, so {@link ZonePlants} can plant misconfigurations before encoding.
 */
final class ZoneDocuments {

    private static final List<String> LABELS =
            List.of(
                    "api", "app", "blog", "shop", "cdn", "static", "img", "docs", "status", "auth",
                    "portal", "admin", "m", "news", "help", "assets", "media", "beta", "login",
                    "pay");
    private static final List<String> SAAS =
            List.of(
                    "ghs.googlehosted.com",
                    "shops.myshopify.com",
                    "proxy.webflow.com",
                    "cname.vercel-dns.com",
                    "custom.bnc.lt",
                    "hosted.statuspage.io");

    private ZoneDocuments() {}

    static Map<String, Object> baseline(Gen g, Target t, String fetchedAt) {
        String apex = t.name();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("_fetched_at", fetchedAt);
        doc.put(
                "zone",
                map(
                        "id",
                        t.targetId(),
                        "name",
                        apex,
                        "status",
                        "active",
                        "plan",
                        t.plan().wire(),
                        "paused",
                        false,
                        "account_id",
                        t.accountId()));
        doc.put("settings", settings(g));
        doc.put("universal_ssl", map("enabled", true));
        doc.put("dnssec", map("status", "active"));
        List<Object> records = new ArrayList<>();
        Map<String, Object> resolution = new LinkedHashMap<>();
        doc.put("dns_records", records);
        doc.put("dns_resolution", resolution);
        addAddress(g, doc, "A", apex, g.publicV4(), true);
        addAddress(g, doc, "AAAA", apex, g.publicV6(), true);
        addCname(g, doc, (g.chance(0.1) ? "WWW." : "www.") + apex, apex, true);
        int extra = g.between(5, 20);
        for (int i = 0; i < extra; i++) {
            String name = g.pick(LABELS) + (i < LABELS.size() ? "" : "-" + i) + "." + apex;
            switch (g.between(0, 3)) {
                case 0 -> addAddress(g, doc, "A", name, g.publicV4(), true);
                case 1 -> addAddress(g, doc, "AAAA", name, g.publicV6(), true);
                case 2 -> addCname(g, doc, name, g.pick(SAAS), true);
                default -> addAddress(g, doc, g.chance(0.2) ? "a" : "A", name, g.publicV4(), true);
            }
        }
        records.add(record(g, "MX", apex, "aspmx.l.google.com", false));
        records.add(
                record(
                        g,
                        "TXT",
                        apex,
                        g.chance(0.5)
                                ? "v=spf1 include:_spf.google.com ~all"
                                : "\"v=spf1 mx include:_spf.google.com -all\"",
                        false));
        records.add(record(g, "TXT", apex, "google-site-verification=" + g.id(), false));
        records.add(
                record(
                        g,
                        "TXT",
                        "_dmarc." + apex,
                        "v=DMARC1; p="
                                + (g.chance(0.5) ? "reject" : "quarantine")
                                + "; rua=mailto:dmarc@"
                                + apex,
                        false));
        records.add(
                record(
                        g,
                        "TXT",
                        "google._domainkey." + apex,
                        "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + g.id(),
                        false));
        records.add(record(g, "CAA", apex, "0 issue \"letsencrypt.org\"", false));
        addCname(g, doc, "_acme-challenge." + apex, apex + ".dcv.cloudflare.com", false);
        doc.put(
                "rulesets",
                List.of(
                        phase(
                                "http_request_firewall_managed",
                                map("id", g.id(), "action", "execute", "enabled", true)),
                        phase(
                                "http_ratelimit",
                                map("id", g.id(), "action", "block", "enabled", true)),
                        phase(
                                "http_request_firewall_custom",
                                map(
                                        "id",
                                        g.id(),
                                        "action",
                                        g.chance(0.5) ? "block" : "managed_challenge",
                                        "enabled",
                                        true))));
        doc.put("bot_management", map("fight_mode", true, "enable_js", true));
        doc.put("page_shield", map("enabled", true));
        doc.put("turnstile_widgets", List.of());
        if (t.plan() != Plan.FREE) {
            List<Object> ops = new ArrayList<>();
            int n = g.between(1, 5);
            for (int i = 0; i < n; i++) {
                ops.add(operation(g, "required", true, i % 2 == 0 ? List.of("email") : List.of()));
            }
            doc.put("api_gateway", map("operations", ops));
        }
        return doc;
    }

    private static Map<String, Object> settings(Gen g) {
        Map<String, Object> s =
                map(
                        "ssl",
                        "strict",
                        "min_tls_version",
                        g.chance(0.8) ? "1.2" : "1.3",
                        "tls_1_3",
                        "on",
                        "always_use_https",
                        "on",
                        "automatic_https_rewrites",
                        "on",
                        "opportunistic_encryption",
                        "on",
                        "security_level",
                        g.pick(List.of("medium", "high", "low")),
                        "browser_check",
                        "on",
                        "development_mode",
                        "off",
                        "email_obfuscation",
                        "on");
        s.put("hotlink_protection", "on");
        s.put("ip_geolocation", "on");
        s.put("always_online", g.chance(0.5) ? "on" : "off");
        s.put("challenge_ttl", 1800L);
        s.put("waf", "on");
        s.put(
                "security_header",
                map(
                        "strict_transport_security",
                        map(
                                "enabled",
                                true,
                                "max_age",
                                31_536_000L,
                                "include_subdomains",
                                true,
                                "preload",
                                g.chance(0.5))));
        return s;
    }

    static Map<String, Object> operation(
            Gen g, String auth, boolean schema, List<String> sensitive) {
        String[] paths = {
            "/api/users/{id}",
            "/api/orders",
            "/api/login",
            "/api/cart/{id}",
            "/v1/search",
            "/v1/items/{id}"
        };
        return map(
                "operation_id",
                g.id(),
                "method",
                g.pick(List.of("GET", "POST", "PUT")),
                "endpoint",
                paths[g.between(0, paths.length - 1)],
                "features",
                map("auth", auth, "schema_validation", schema, "sensitive_data", sensitive));
    }

    private static Map<String, Object> phase(String phase, Map<String, Object> rule) {
        List<Object> rules = new ArrayList<>();
        rules.add(rule);
        return map("phase", phase, "rules", rules);
    }

    /** Adds an address record and reports its address as assigned; returns the record id. */
    static String addAddress(
            Gen g, Map<String, Object> doc, String type, String name, String ip, boolean proxied) {
        resolution(doc).put(ip.toLowerCase(java.util.Locale.ROOT), "assigned");
        return add(doc, record(g, type, name, ip, proxied));
    }

    static String addCname(
            Gen g, Map<String, Object> doc, String name, String target, boolean proxied) {
        resolution(doc).put(target.toLowerCase(java.util.Locale.ROOT), "NOERROR");
        return add(doc, record(g, "CNAME", name, target, proxied));
    }

    static String add(Map<String, Object> doc, Map<String, Object> record) {
        records(doc).add(record);
        return (String) Objects.requireNonNull(record.get("id"));
    }

    static Map<String, Object> record(
            Gen g, String type, String name, String content, boolean proxied) {
        return map(
                "id", g.id(), "type", type, "name", name, "content", content, "proxied", proxied,
                "ttl", 1L);
    }

    @SuppressWarnings("unchecked")
    static List<Object> records(Map<String, Object> doc) {
        return (List<Object>) Objects.requireNonNull(doc.get("dns_records"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> resolution(Map<String, Object> doc) {
        return (Map<String, Object>) Objects.requireNonNull(doc.get("dns_resolution"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> section(Map<String, Object> doc, String name) {
        return (Map<String, Object>) Objects.requireNonNull(doc.get(name), name);
    }

    /** A mutable, ordered map from alternating keys and values. */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
