package dev.vigil.testing.cloudflare;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The payloads of one account or zone, keyed by fixture file name without {@code .json}. */
final class FleetData {

    private FleetData() {}

    /**
     * An account: {@code files} holds {@code account}, {@code members}, {@code tokens}, {@code
     * access_apps}, {@code access_policies}, {@code tunnels} and {@code widgets} (a missing one is
     * answered 404); {@code tunnelConfigs} maps a tunnel id to its configuration.
     */
    record Account(String id, Map<String, JsonNode> files, Map<String, JsonNode> tunnelConfigs) {
        Account {
            files = Map.copyOf(files);
            tunnelConfigs = Map.copyOf(tunnelConfigs);
        }

        String name() {
            return files.get("account").path("name").asString();
        }
    }

    /**
     * A zone: {@code files} holds {@code zone}, {@code settings}, {@code dns_records}, {@code
     * dnssec}, {@code universal_ssl}, {@code certificate_packs}, {@code rulesets}, {@code
     * bot_management}, {@code page_shield} and {@code api_gateway_operations}; {@code entrypoints}
     * maps a phase to the zone's entrypoint ruleset (absent: the API answers 404).
     */
    record Zone(String id, Map<String, JsonNode> files, Map<String, JsonNode> entrypoints) {
        Zone {
            files = Map.copyOf(files);
            entrypoints = Map.copyOf(entrypoints);
        }

        JsonNode zone() {
            return files.get("zone");
        }

        String name() {
            return zone().path("name").asString();
        }

        String accountId() {
            return zone().path("account").path("id").asString();
        }
    }
}
