package dev.vigil.testing.cloudflare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The GET routes of the stub, matched against the path after {@code /client/v4}, each answering
 * from the {@link StubFleet} as the published API does: objects wrapped in the envelope, lists
 * paged ({@link Paging}), unknown ids 404 with code 7003, unknown routes 404 with code 7000.
 */
final class StubRoutes {

    private interface Handler {
        Reply answer(Matcher path, Map<String, List<String>> query);
    }

    private record Route(Pattern pattern, Handler handler) {}

    private static final String ID = "([^/]+)";

    private final StubFleet fleet;
    private final Faults faults;
    private final List<Route> routes = new ArrayList<>();

    StubRoutes(StubFleet fleet, Faults faults) {
        this.fleet = fleet;
        this.faults = faults;
        add("/user/tokens/verify", (m, q) -> verify());
        add(
                "/accounts",
                (m, q) ->
                        paged(
                                fleet.accounts().stream()
                                        .map(a -> a.files().get("account"))
                                        .toList(),
                                q,
                                Paging.ACCOUNTS));
        add("/accounts/" + ID, (m, q) -> accountObject(m, "account"));
        add("/accounts/" + ID + "/members", (m, q) -> accountList(m, q, "members", Paging.MEMBERS));
        add("/accounts/" + ID + "/tokens", (m, q) -> accountList(m, q, "tokens", Paging.TOKENS));
        add("/accounts/" + ID + "/access/apps", (m, q) -> accountList(m, q, "access_apps", null));
        add("/accounts/" + ID + "/access/apps/" + ID + "/policies", this::appPolicies);
        add(
                "/accounts/" + ID + "/access/policies",
                (m, q) -> accountList(m, q, "access_policies", null));
        add("/accounts/" + ID + "/cfd_tunnel", this::tunnels);
        add("/accounts/" + ID + "/cfd_tunnel/" + ID + "/configurations", this::tunnelConfig);
        add(
                "/accounts/" + ID + "/challenges/widgets",
                (m, q) -> accountList(m, q, "widgets", Paging.WIDGETS));
        add("/zones", this::zones);
        add("/zones/" + ID, (m, q) -> zoneObject(m, "zone"));
        add("/zones/" + ID + "/settings", (m, q) -> zoneObject(m, "settings"));
        add("/zones/" + ID + "/dns_records", this::dnsRecords);
        add("/zones/" + ID + "/dnssec", (m, q) -> zoneObject(m, "dnssec"));
        add("/zones/" + ID + "/ssl/universal/settings", (m, q) -> zoneObject(m, "universal_ssl"));
        add("/zones/" + ID + "/ssl/certificate_packs", this::certificatePacks);
        add("/zones/" + ID + "/rulesets", this::rulesets);
        add("/zones/" + ID + "/rulesets/phases/" + ID + "/entrypoint", this::entrypoint);
        add("/zones/" + ID + "/bot_management", (m, q) -> zoneObject(m, "bot_management"));
        add("/zones/" + ID + "/page_shield", (m, q) -> zoneObject(m, "page_shield"));
        add("/zones/" + ID + "/api_gateway/operations", this::operations);
    }

    Reply answer(String path, Map<String, List<String>> query) {
        for (Route r : routes) {
            Matcher m = r.pattern().matcher(path);
            if (m.matches()) {
                return r.handler().answer(m, query);
            }
        }
        return Reply.error(404, 7000, "No route for that URI");
    }

    private void add(String path, Handler h) {
        routes.add(new Route(Pattern.compile(path), h));
    }

    private static Reply verify() {
        ObjectNode r = FixtureJson.NODES.objectNode();
        r.put("id", "ed17574386854bf78a67040be0a770b0");
        r.put("status", "active");
        return Reply.ok(r);
    }

    private Reply paged(List<JsonNode> items, Map<String, List<String>> q, Paging.Bounds b) {
        return b == null ? Paging.whole(items) : Paging.byPage(items, q, b, faults);
    }

    private Reply accountObject(Matcher m, String file) {
        return account(m)
                .map(
                        a ->
                                Optional.ofNullable(a.files().get(file))
                                        .map(Reply::ok)
                                        .orElseGet(() -> notRouted(m)))
                .orElseGet(() -> notRouted(m));
    }

    private Reply accountList(
            Matcher m, Map<String, List<String>> q, String file, Paging.Bounds b) {
        Optional<FleetData.Account> a = account(m);
        if (a.isEmpty() || !a.get().files().containsKey(file)) {
            return notRouted(m);
        }
        return paged(elements(a.get().files().get(file)), q, b);
    }

    private Reply appPolicies(Matcher m, Map<String, List<String>> q) {
        return account(m)
                .flatMap(
                        a ->
                                elements(a.files().get("access_apps")).stream()
                                        .filter(app -> app.path("id").asString().equals(m.group(2)))
                                        .findFirst())
                .map(app -> Paging.whole(elements(app.get("policies"))))
                .orElseGet(() -> notRouted(m));
    }

    private Reply tunnels(Matcher m, Map<String, List<String>> q) {
        Optional<FleetData.Account> a = account(m);
        if (a.isEmpty()) {
            return notRouted(m);
        }
        String deleted = Paging.first(q, "is_deleted");
        String name = Paging.first(q, "name");
        String status = Paging.first(q, "status");
        List<JsonNode> items =
                elements(a.get().files().get("tunnels")).stream()
                        .filter(
                                t ->
                                        deleted == null
                                                || isDeleted(t) == Boolean.parseBoolean(deleted))
                        .filter(t -> name == null || name.equals(t.path("name").asString()))
                        .filter(t -> status == null || status.equals(t.path("status").asString()))
                        .toList();
        return Paging.byPage(items, q, Paging.TUNNELS, faults);
    }

    private static boolean isDeleted(JsonNode tunnel) {
        JsonNode d = tunnel.path("deleted_at");
        return d.isString() && !d.asString().isEmpty();
    }

    private Reply tunnelConfig(Matcher m, Map<String, List<String>> q) {
        return account(m)
                .flatMap(a -> Optional.ofNullable(a.tunnelConfigs().get(m.group(2))))
                .map(Reply::ok)
                .orElseGet(() -> notRouted(m));
    }

    private Reply zones(Matcher m, Map<String, List<String>> q) {
        String account = Paging.first(q, "account.id");
        String name = Paging.first(q, "name");
        List<JsonNode> items =
                fleet.sortedZones().stream()
                        .filter(z -> account == null || account.equals(z.accountId()))
                        .filter(z -> name == null || name.equals(z.name()))
                        .map(FleetData.Zone::zone)
                        .toList();
        return Paging.byPage(items, q, Paging.ZONES, faults);
    }

    private Reply zoneObject(Matcher m, String file) {
        return zone(m).flatMap(z -> Optional.ofNullable(z.files().get(file)))
                .map(Reply::ok)
                .orElseGet(() -> notRouted(m));
    }

    private Reply dnsRecords(Matcher m, Map<String, List<String>> q) {
        Optional<FleetData.Zone> z = zone(m);
        if (z.isEmpty()) {
            return notRouted(m);
        }
        String type = Paging.first(q, "type");
        String name = Paging.first(q, "name");
        List<JsonNode> items =
                elements(z.get().files().get("dns_records")).stream()
                        .filter(r -> type == null || type.equals(r.path("type").asString()))
                        .filter(
                                r ->
                                        name == null
                                                || name.equalsIgnoreCase(r.path("name").asString()))
                        .toList();
        return Paging.byPage(items, q, Paging.DNS_RECORDS, faults);
    }

    /** Only active packs unless {@code status=all}, as the published parameter says. */
    private Reply certificatePacks(Matcher m, Map<String, List<String>> q) {
        Optional<FleetData.Zone> z = zone(m);
        if (z.isEmpty()) {
            return notRouted(m);
        }
        boolean all = "all".equals(Paging.first(q, "status"));
        return Paging.whole(
                elements(z.get().files().get("certificate_packs")).stream()
                        .filter(p -> all || "active".equals(p.path("status").asString()))
                        .toList());
    }

    private Reply rulesets(Matcher m, Map<String, List<String>> q) {
        return zone(m).map(z -> Paging.byCursor(elements(z.files().get("rulesets")), q))
                .orElseGet(() -> notRouted(m));
    }

    private Reply entrypoint(Matcher m, Map<String, List<String>> q) {
        Optional<FleetData.Zone> z = zone(m);
        if (z.isEmpty()) {
            return notRouted(m);
        }
        String phase = m.group(2);
        JsonNode ep = z.get().entrypoints().get(phase);
        return ep == null
                ? Reply.error(
                        404, 10003, "could not find entrypoint ruleset in the " + phase + " phase")
                : Reply.ok(ep);
    }

    /**
     * Operations; their {@code features} only for the kinds named in {@code feature} parameters, as
     * the API includes them only on request.
     */
    private Reply operations(Matcher m, Map<String, List<String>> q) {
        Optional<FleetData.Zone> z = zone(m);
        if (z.isEmpty()) {
            return notRouted(m);
        }
        Set<String> wanted = Set.copyOf(q.getOrDefault("feature", List.of()));
        List<JsonNode> items =
                elements(z.get().files().get("api_gateway_operations")).stream()
                        .map(op -> withFeatures(op, wanted))
                        .toList();
        return Paging.byPage(items, q, Paging.API_OPERATIONS, faults);
    }

    private static JsonNode withFeatures(JsonNode op, Set<String> wanted) {
        ObjectNode copy = (ObjectNode) op.deepCopy();
        JsonNode features = copy.remove("features");
        if (features != null && !wanted.isEmpty()) {
            ObjectNode kept = copy.putObject("features");
            wanted.forEach(
                    w -> {
                        if (features.has(w)) {
                            kept.set(w, features.get(w));
                        }
                    });
        }
        return copy;
    }

    private Optional<FleetData.Account> account(Matcher m) {
        return fleet.account(m.group(1));
    }

    private Optional<FleetData.Zone> zone(Matcher m) {
        return fleet.zone(m.group(1));
    }

    private static Reply notRouted(Matcher m) {
        return Reply.error(
                404,
                7003,
                "Could not route to " + m.group() + ", perhaps your object identifier is invalid?");
    }

    private static List<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }
}
