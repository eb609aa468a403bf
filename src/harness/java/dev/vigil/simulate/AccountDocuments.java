package dev.vigil.simulate;

import static dev.vigil.simulate.ZoneDocuments.map;
import static dev.vigil.simulate.ZoneDocuments.section;

import dev.vigil.inventory.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Clean account documents and the misconfigurations an account can carry, one per account check.
 * Each plant returns the (check id, resource key) pairs of the findings it must produce.
 */
final class AccountDocuments {

    static final String SUPER_ADMIN = "Super Administrator - All Privileges";
    private static final List<String> OTHER_ROLES =
            List.of(
                    "Administrator",
                    "Administrator Read Only",
                    "DNS",
                    "Firewall",
                    "Analytics",
                    "Billing");

    private AccountDocuments() {}

    static Map<String, Object> baseline(Gen g, Target t, String fetchedAt) {
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        String domain =
                t.name().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                        + ".example";
        doc.put("_fetched_at", fetchedAt);
        doc.put(
                "account",
                map(
                        "id",
                        t.targetId(),
                        "name",
                        t.name(),
                        "plan",
                        t.plan().wire(),
                        "settings",
                        map("enforce_twofactor", true)));
        List<Object> members = new ArrayList<>();
        members.add(member(g, "owner@" + domain, "accepted", true, SUPER_ADMIN));
        int n = g.between(1, 6);
        for (int i = 0; i < n; i++) {
            members.add(
                    member(g, "user" + i + "@" + domain, "accepted", true, g.pick(OTHER_ROLES)));
        }
        if (g.chance(0.3)) {
            members.add(member(g, "invitee@" + domain, "pending", false, g.pick(OTHER_ROLES)));
        }
        doc.put("members", members);
        List<Object> tokens = new ArrayList<>();
        tokens.add(
                token(
                        g,
                        "ci-deploy",
                        "Zone Write",
                        "2026-12-31T00:00:00Z",
                        true,
                        "2025-12-2" + g.between(0, 9) + "T10:00:00Z"));
        if (g.chance(0.6)) {
            tokens.add(
                    token(
                            g,
                            "analytics-read",
                            "Analytics Read",
                            null,
                            false,
                            "2025-12-15T08:00:00Z"));
        }
        doc.put("api_tokens", tokens);
        String policyId = g.id();
        doc.put(
                "access_policies",
                new ArrayList<>(
                        List.of(
                                map(
                                        "id",
                                        policyId,
                                        "name",
                                        "staff",
                                        "decision",
                                        "allow",
                                        "include",
                                        List.of(map("email_domain", map("domain", domain)))))));
        doc.put(
                "access_apps",
                new ArrayList<>(
                        List.of(
                                map(
                                        "id",
                                        g.id(),
                                        "domain",
                                        "intranet." + domain,
                                        "type",
                                        "self_hosted",
                                        "policies",
                                        List.of(policyId)),
                                map(
                                        "id",
                                        g.id(),
                                        "domain",
                                        "ssh." + domain,
                                        "type",
                                        "ssh",
                                        "policies",
                                        List.of(policyId)))));
        doc.put(
                "tunnels",
                new ArrayList<>(
                        List.of(
                                map(
                                        "id",
                                        g.id(),
                                        "name",
                                        "office",
                                        "status",
                                        "healthy",
                                        "public_hostnames",
                                        List.of("intranet." + domain),
                                        "protected_by_access",
                                        true))));
        return doc;
    }

    static Map<String, Object> member(
            Gen g, String email, String status, boolean mfa, String role) {
        return map(
                "id",
                g.id(),
                "email",
                email,
                "status",
                status,
                "two_factor_enabled",
                mfa,
                "roles",
                List.of(role));
    }

    static Map<String, Object> token(
            Gen g,
            String name,
            String permission,
            @org.jspecify.annotations.Nullable String expires,
            boolean ipLocked,
            String lastUsed) {
        Map<String, Object> t =
                map(
                        "id",
                        g.id(),
                        "name",
                        name,
                        "status",
                        "active",
                        "issued_on",
                        "2025-06-01T00:00:00Z",
                        "last_used_on",
                        lastUsed,
                        "condition",
                        ipLocked ? map("request_ip", map("in", List.of("198.51.100.0/24"))) : map(),
                        "policies",
                        List.of(
                                map(
                                        "effect",
                                        "allow",
                                        "permission_groups",
                                        List.of(map("name", permission)),
                                        "resources",
                                        map("com.cloudflare.api.account.zone.*", "*"))));
        if (expires != null) {
            t.put("expires_on", expires);
        }
        return t;
    }

    /** One plantable account misconfiguration. */
    record Plant(String checkId, ZonePlants.Planter planter) {}

    static final List<Plant> ALL =
            List.of(
                    new Plant(
                            "account.member_without_mfa",
                            (g, d, x) -> {
                                Map<String, Object> m =
                                        member(
                                                g,
                                                "contractor@partner.example",
                                                "accepted",
                                                false,
                                                "DNS");
                                list(d, "members").add(m);
                                return pair("account.member_without_mfa", m.get("id"));
                            }),
                    new Plant(
                            "account.twofactor_not_enforced",
                            (g, d, x) -> {
                                section(section(d, "account"), "settings")
                                        .put("enforce_twofactor", false);
                                return pair("account.twofactor_not_enforced", "account");
                            }),
                    new Plant(
                            "account.too_many_super_admins",
                            (g, d, x) -> {
                                for (int i = 0; i < 3; i++) {
                                    list(d, "members")
                                            .add(
                                                    member(
                                                            g,
                                                            "admin" + i + "@ops.example",
                                                            "accepted",
                                                            true,
                                                            SUPER_ADMIN));
                                }
                                return pair("account.too_many_super_admins", "account");
                            }),
                    new Plant(
                            "account.token_no_ip_restriction",
                            (g, d, x) -> {
                                Map<String, Object> t =
                                        token(
                                                g,
                                                "terraform",
                                                "DNS Write",
                                                "2026-06-30T00:00:00Z",
                                                false,
                                                "2025-12-30T00:00:00Z");
                                list(d, "api_tokens").add(t);
                                return pair("account.token_no_ip_restriction", t.get("id"));
                            }),
                    new Plant(
                            "account.token_never_expires",
                            (g, d, x) -> {
                                Map<String, Object> t =
                                        token(
                                                g,
                                                "legacy-script",
                                                "Zone Settings Edit",
                                                null,
                                                true,
                                                "2025-12-31T00:00:00Z");
                                list(d, "api_tokens").add(t);
                                return pair("account.token_never_expires", t.get("id"));
                            }),
                    new Plant(
                            "account.token_unused",
                            (g, d, x) -> {
                                Map<String, Object> t =
                                        token(
                                                g,
                                                "old-dashboard",
                                                "Analytics Read",
                                                null,
                                                false,
                                                "2025-05-01T00:00:00Z");
                                list(d, "api_tokens").add(t);
                                return pair("account.token_unused", t.get("id"));
                            }),
                    new Plant(
                            "access.policy_allows_everyone",
                            (g, d, x) -> {
                                String id = g.id();
                                list(d, "access_policies")
                                        .add(
                                                map(
                                                        "id",
                                                        id,
                                                        "name",
                                                        "temp-open",
                                                        "decision",
                                                        "allow",
                                                        "include",
                                                        List.of(map("everyone", map()))));
                                return pair("access.policy_allows_everyone", id);
                            }),
                    new Plant(
                            "access.tunnel_unprotected",
                            (g, d, x) -> {
                                String id = g.id();
                                list(d, "tunnels")
                                        .add(
                                                map(
                                                        "id",
                                                        id,
                                                        "name",
                                                        "lab",
                                                        "status",
                                                        "healthy",
                                                        "public_hostnames",
                                                        List.of("grafana.lab.example"),
                                                        "protected_by_access",
                                                        false));
                                return pair("access.tunnel_unprotected", id);
                            }),
                    new Plant(
                            "access.rdp_exposed",
                            (g, d, x) -> {
                                String policy = g.id();
                                String app = g.id();
                                list(d, "access_policies")
                                        .add(
                                                map(
                                                        "id",
                                                        policy,
                                                        "name",
                                                        "rdp-anyone",
                                                        "decision",
                                                        "allow",
                                                        "include",
                                                        List.of(map("everyone", map()))));
                                list(d, "access_apps")
                                        .add(
                                                map(
                                                        "id",
                                                        app,
                                                        "domain",
                                                        "rdp.office.example",
                                                        "type",
                                                        "rdp",
                                                        "policies",
                                                        List.of(policy)));
                                return List.of(
                                        new String[] {"access.rdp_exposed", app},
                                        new String[] {"access.policy_allows_everyone", policy});
                            }));

    private static List<String[]> pair(
            String check, @org.jspecify.annotations.Nullable Object key) {
        return List.<String[]>of(new String[] {check, String.valueOf(key)});
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> d, String name) {
        return (List<Object>) java.util.Objects.requireNonNull(d.get(name));
    }
}
