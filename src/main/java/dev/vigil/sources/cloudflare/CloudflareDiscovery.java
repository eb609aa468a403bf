package dev.vigil.sources.cloudflare;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.sources.cloudflare.internal.ApiException;
import dev.vigil.sources.cloudflare.internal.CloudflareClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Lists the accounts and zones a Cloudflare token sees, as inventory targets with their plan: a
 * zone's is its {@code plan.legacy_id}; an account's is {@code enterprise} when its type is, else
 * the highest plan of its zones (free when it has none).
 *
 * <p>Requests go through the credential's shared pacer. Thread-safe; blocks the caller. {@link
 * #close} closes its HTTP client.
 */
public final class CloudflareDiscovery implements AutoCloseable {

    private final CloudflareClient api;

    private CloudflareDiscovery(CloudflareClient api) {
        this.api = api;
    }

    public static CloudflareDiscovery create(CloudflareSettings settings) {
        return new CloudflareDiscovery(CloudflareConfigSource.client(settings));
    }

    /** Closes the HTTP client; discoveries after it fail. */
    @Override
    public void close() {
        api.close();
    }

    /** What the token sees. */
    public record Fleet(List<Target> accounts, List<Target> zones) {
        public Fleet {
            accounts = List.copyOf(accounts);
            zones = List.copyOf(zones);
        }

        /** Accounts first, then zones: the order an inventory import needs. */
        public List<Target> targets() {
            List<Target> all = new ArrayList<>(accounts);
            all.addAll(zones);
            return all;
        }
    }

    /** Told of each listing page as it arrives, for a progress display. */
    public interface Listener {
        void listed(int accounts, int zones);
    }

    /**
     * Lists accounts and zones, narrowed to one account id and/or one zone name when given.
     *
     * @throws CloudflareException when a listing cannot be read (the token lacks Account or Zone
     *     Read, the API is unreachable): discovery is all or nothing, so a partial answer never
     *     retires a zone
     */
    public Fleet discover(
            @Nullable String accountId, @Nullable String zoneName, Listener listener) {
        try {
            List<JsonNode> accountList = api.pages("/accounts", Map.of(), 50);
            Map<String, JsonNode> accounts = new LinkedHashMap<>();
            for (JsonNode a : accountList) {
                String id = a.path("id").asString("");
                if (!id.isEmpty() && (accountId == null || accountId.equals(id))) {
                    accounts.put(id, a);
                }
            }
            listener.listed(accounts.size(), 0);
            Map<String, String> query = new LinkedHashMap<>();
            if (zoneName != null) {
                query.put("name", zoneName.toLowerCase(Locale.ROOT));
            }
            if (accountId != null) {
                query.put("account.id", accountId);
            }
            List<Target> zones = new ArrayList<>();
            Map<String, Plan> highest = new LinkedHashMap<>();
            for (JsonNode z : api.pages("/zones", query, 50)) {
                String account = z.path("account").path("id").asString("");
                if (!accounts.containsKey(account)) {
                    continue; // a zone shared from an account the token cannot list
                }
                Plan plan = plan(z.path("plan").path("legacy_id").asString("free"));
                zones.add(
                        Target.zone(
                                z.path("id").asString(),
                                account,
                                z.path("name").asString(z.path("id").asString()),
                                plan));
                highest.merge(account, plan, (x, y) -> x.compareTo(y) >= 0 ? x : y);
            }
            listener.listed(accounts.size(), zones.size());
            Set<String> withZones = new LinkedHashSet<>();
            zones.forEach(t -> withZones.add(t.accountId()));
            List<Target> accountTargets = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : accounts.entrySet()) {
                if (zoneName != null && !withZones.contains(e.getKey())) {
                    continue; // narrowed to one zone: its account only
                }
                JsonNode a = e.getValue();
                Plan plan =
                        "enterprise".equals(a.path("type").asString(""))
                                ? Plan.ENTERPRISE
                                : highest.getOrDefault(e.getKey(), Plan.FREE);
                accountTargets.add(
                        Target.account(e.getKey(), a.path("name").asString(e.getKey()), plan));
            }
            return new Fleet(accountTargets, zones);
        } catch (ApiException e) {
            throw new CloudflareException("cannot list accounts and zones: " + e.reason(), e);
        }
    }

    /**
     * How many assets a zone has for the lane classifier: its DNS records plus its API Gateway
     * operations, from each listing's {@code total_count} (counted page by page when absent). A
     * listing the token may not read counts 0.
     */
    public int assetCount(String zoneId) {
        return count("/zones/" + zoneId + "/dns_records", 5_000)
                + count("/zones/" + zoneId + "/api_gateway/operations", 50);
    }

    private int count(String path, int fullPage) {
        try {
            CloudflareClient.Answer first = api.get(path, Map.of("page", "1", "per_page", "5"));
            JsonNode total = first.resultInfo().path("total_count");
            if (total.isNumber()) {
                return (int) Math.min(Integer.MAX_VALUE, total.asLong());
            }
            return api.pages(path, Map.of(), fullPage).size();
        } catch (ApiException e) {
            return 0;
        }
    }

    private static Plan plan(String legacyId) {
        try {
            return Plan.parse(legacyId);
        } catch (IllegalArgumentException e) {
            return Plan.FREE; // a plan Vigil has no interval for is scanned as often as free
        }
    }
}
