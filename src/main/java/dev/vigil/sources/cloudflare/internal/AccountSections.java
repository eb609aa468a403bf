package dev.vigil.sources.cloudflare.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The account document of the check catalogue, built from the Cloudflare API v4 as the mapping
 * table of {@code reference/CHECKS.md} says.
 */
public final class AccountSections {

    private final CloudflareClient api;

    public AccountSections(CloudflareClient api) {
        this.api = api;
    }

    /**
     * The account's document.
     *
     * @param inventoryPlan the plan the inventory holds for the account (the highest of its zones,
     *     set at discovery), used unless the account's own type is {@code enterprise}
     * @throws ApiException when {@code /accounts/{id}} cannot be read
     */
    public ObjectNode build(String accountId, String inventoryPlan) {
        String a = "/accounts/" + accountId;
        JsonNode account = api.get(a);
        Sections s = new Sections();
        ObjectNode acc = s.doc().putObject("account");
        acc.put("id", account.path("id").asString(accountId));
        ZoneSections.copy(account, acc, "name");
        ZoneSections.copy(account, acc, "type");
        acc.put(
                "plan",
                "enterprise".equals(account.path("type").asString(""))
                        ? "enterprise"
                        : inventoryPlan);
        ObjectNode settings = acc.putObject("settings");
        ZoneSections.copy(account.path("settings"), settings, "enforce_twofactor");
        s.section("members", () -> members(api.pages(a + "/members", Map.of(), 50)));
        s.section("api_tokens", () -> tokens(api.pages(a + "/tokens", Map.of(), 50)));
        List<JsonNode> apps = new ArrayList<>();
        s.section(
                "access_apps",
                () -> {
                    apps.addAll(list(api.get(a + "/access/apps")));
                    return accessApps(apps);
                });
        if (s.failed("access_apps")) {
            s.error("access_policies", "not_read: the Access applications could not be read");
            s.error("tunnels", "not_read: the Access applications could not be read");
            return s.finish();
        }
        s.section(
                "access_policies",
                () -> accessPolicies(list(api.get(a + "/access/policies")), apps));
        s.section("tunnels", () -> tunnels(a, apps));
        return s.finish();
    }

    /**
     * {@code user.email}, {@code user.two_factor_authentication_enabled} as {@code
     * two_factor_enabled}, and as {@code roles} the names of the legacy roles plus those of the
     * permission groups of the member's policies.
     */
    private static ArrayNode members(List<JsonNode> all) {
        ArrayNode out = Sections.NODES.arrayNode();
        for (JsonNode m : all) {
            ObjectNode o = out.addObject();
            ZoneSections.copy(m, o, "id");
            ZoneSections.copy(m, o, "status");
            ZoneSections.copy(m.path("user"), o, "email");
            JsonNode tfa = m.path("user").path("two_factor_authentication_enabled");
            if (tfa.isBoolean()) {
                o.put("two_factor_enabled", tfa.asBoolean());
            }
            ArrayNode roles = o.putArray("roles");
            for (JsonNode r : m.path("roles")) {
                roles.add(r.path("name").asString(""));
            }
            for (JsonNode p : m.path("policies")) {
                for (JsonNode g : p.path("permission_groups")) {
                    roles.add(g.path("name").asString(""));
                }
            }
        }
        return out;
    }

    /** Account-owned tokens with the fields the token checks read, as the API names them. */
    private static ArrayNode tokens(List<JsonNode> all) {
        ArrayNode out = Sections.NODES.arrayNode();
        for (JsonNode t : all) {
            ObjectNode o = out.addObject();
            for (String f :
                    List.of(
                            "id",
                            "name",
                            "status",
                            "issued_on",
                            "modified_on",
                            "last_used_on",
                            "not_before",
                            "expires_on",
                            "condition",
                            "policies")) {
                ZoneSections.copy(t, o, f);
            }
        }
        return out;
    }

    /** Each app with the ids of its policies (objects or ids in the API). */
    private static ArrayNode accessApps(List<JsonNode> apps) {
        ArrayNode out = Sections.NODES.arrayNode();
        for (JsonNode app : apps) {
            ObjectNode o = out.addObject();
            for (String f : List.of("id", "name", "domain", "type", "self_hosted_domains")) {
                ZoneSections.copy(app, o, f);
            }
            ArrayNode ids = o.putArray("policies");
            for (JsonNode p : app.path("policies")) {
                ids.add(p.isObject() ? p.path("id").asString("") : p.asString(""));
            }
        }
        return out;
    }

    /** The account's reusable policies and every app's own policies, each once by id. */
    private static ArrayNode accessPolicies(List<JsonNode> reusable, List<JsonNode> apps) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode p : reusable) {
            byId.putIfAbsent(p.path("id").asString(""), p);
        }
        for (JsonNode app : apps) {
            for (JsonNode p : app.path("policies")) {
                if (p.isObject()) {
                    byId.putIfAbsent(p.path("id").asString(""), p);
                }
            }
        }
        ArrayNode out = Sections.NODES.arrayNode();
        for (JsonNode p : byId.values()) {
            ObjectNode o = out.addObject();
            for (String f : List.of("id", "name", "decision", "include", "exclude", "require")) {
                ZoneSections.copy(p, o, f);
            }
        }
        return out;
    }

    /**
     * Tunnels not deleted, each with the hostnames of its ingress rules (from its remotely managed
     * configuration; a locally managed tunnel has none the API can show) and whether an Access app
     * covers every one of them.
     */
    private ArrayNode tunnels(String a, List<JsonNode> apps) {
        ArrayNode out = Sections.NODES.arrayNode();
        for (JsonNode t : api.pages(a + "/cfd_tunnel", Map.of("is_deleted", "false"), 1000)) {
            String id = t.path("id").asString("");
            ObjectNode o = out.addObject();
            o.put("id", id);
            ZoneSections.copy(t, o, "name");
            ZoneSections.copy(t, o, "status");
            ArrayNode hosts = o.putArray("public_hostnames");
            boolean covered = true;
            JsonNode config;
            try {
                config = api.get(a + "/cfd_tunnel/" + id + "/configurations");
            } catch (ApiException e) {
                if (e.kind() != ApiException.Kind.NOT_FOUND) {
                    throw e;
                }
                config = Sections.NODES.objectNode();
            }
            for (JsonNode rule : config.path("config").path("ingress")) {
                String host = rule.path("hostname").asString("");
                if (!host.isEmpty()) {
                    hosts.add(host);
                    covered &= AccessCoverage.covers(apps, host);
                }
            }
            o.put("protected_by_access", hosts.isEmpty() || covered);
        }
        return out;
    }

    private static List<JsonNode> list(JsonNode result) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : result) {
            out.add(e);
        }
        return out;
    }
}
