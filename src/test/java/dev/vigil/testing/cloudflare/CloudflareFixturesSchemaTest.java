package dev.vigil.testing.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The fleet's fixtures against the project's own schemas of each answer, and those schemas against
 * Cloudflare's published OpenAPI document: a fixture field the published API does not have would
 * make the stub teach the connector something the real API never says.
 */
class CloudflareFixturesSchemaTest {

    private static final Path SCHEMAS = Path.of("src/test/resources/cloudflare/schema");

    /** Which schema describes each fixture file, and whether the file holds a list. */
    private record Fixture(String glob, String schema, boolean list) {}

    private static final List<Fixture> FIXTURES =
            List.of(
                    new Fixture("accounts/*/account.json", "account", false),
                    new Fixture("accounts/*/members.json", "member", true),
                    new Fixture("accounts/*/tokens.json", "token", true),
                    new Fixture("accounts/*/access_apps.json", "access_app", true),
                    new Fixture("accounts/*/access_policies.json", "access_policy", true),
                    new Fixture("accounts/*/tunnels.json", "tunnel", true),
                    new Fixture("accounts/*/widgets.json", "widget", true),
                    new Fixture("accounts/*/tunnel_configs/*.json", "tunnel_config", false),
                    new Fixture("zones/*/zone.json", "zone", false),
                    new Fixture("zones/*/settings.json", "zone_setting", true),
                    new Fixture("zones/*/dns_records.json", "dns_record", true),
                    new Fixture("zones/*/dnssec.json", "dnssec", false),
                    new Fixture("zones/*/universal_ssl.json", "universal_ssl", false),
                    new Fixture("zones/*/certificate_packs.json", "certificate_pack", true),
                    new Fixture("zones/*/rulesets.json", "ruleset", true),
                    new Fixture("zones/*/entrypoints/*.json", "entrypoint", false),
                    new Fixture("zones/*/bot_management.json", "bot_management", false),
                    new Fixture("zones/*/page_shield.json", "page_shield", false),
                    new Fixture("zones/*/api_gateway_operations.json", "api_operation", true));

    /** The published route whose {@code result} each of our schemas describes. */
    private static final Map<String, String> PUBLISHED =
            Map.ofEntries(
                    Map.entry("account", "/accounts/{account_id}"),
                    Map.entry("member", "/accounts/{account_id}/members"),
                    // The account tokens route is newer than the published schema; its objects
                    // have the shape of the user tokens route.
                    Map.entry("token", "/user/tokens"),
                    Map.entry("access_app", "/accounts/{account_id}/access/apps"),
                    Map.entry("access_policy", "/accounts/{account_id}/access/policies"),
                    Map.entry("tunnel", "/accounts/{account_id}/cfd_tunnel"),
                    Map.entry("widget", "/accounts/{account_id}/challenges/widgets"),
                    Map.entry(
                            "tunnel_config",
                            "/accounts/{account_id}/cfd_tunnel/{tunnel_id}/configurations"),
                    Map.entry("zone", "/zones/{zone_id}"),
                    Map.entry("zone_setting", "/zones/{zone_id}/settings"),
                    Map.entry("dns_record", "/zones/{zone_id}/dns_records"),
                    Map.entry("dnssec", "/zones/{zone_id}/dnssec"),
                    Map.entry("universal_ssl", "/zones/{zone_id}/ssl/universal/settings"),
                    Map.entry("certificate_pack", "/zones/{zone_id}/ssl/certificate_packs"),
                    Map.entry("ruleset", "/zones/{zone_id}/rulesets"),
                    Map.entry(
                            "entrypoint",
                            "/zones/{zone_id}/rulesets/phases/{ruleset_phase}/entrypoint"),
                    Map.entry("bot_management", "/zones/{zone_id}/bot_management"),
                    Map.entry("page_shield", "/zones/{zone_id}/page_shield"),
                    Map.entry("api_operation", "/zones/{zone_id}/api_gateway/operations"));

    /**
     * Where our schemas go beyond the published document (cut 2024-08-06), each with the reason we
     * keep it. The test fails on any difference not listed here and on any entry no longer needed.
     */
    private static final Map<String, String> KNOWN =
            new TreeMap<>(
                    Map.ofEntries(
                            Map.entry(
                                    "zone.plan",
                                    "the published zone object has no plan; the live API returns"
                                            + " plan{legacy_id, ...} and CHECKS.md maps zone.plan from"
                                            + " plan.legacy_id"),
                            Map.entry(
                                    "zone.status",
                                    "returned by the live API (active, pending, ...); the 2024"
                                            + " schema only has it as a /zones filter"),
                            Map.entry("zone.paused", "returned by the live API"),
                            Map.entry("zone.type", "returned by the live API (full, partial)"),
                            Map.entry(
                                    "account (undescribed upstream)",
                                    "the published account object is a bare object; the live"
                                            + " API returns id, name, type, settings"
                                            + " (enforce_twofactor), created_on"),
                            Map.entry(
                                    "token (undescribed upstream)",
                                    "user (and account) tokens are bare objects in the published"
                                            + " schema; the fields are those of the live API"),
                            Map.entry(
                                    "tunnel_config (undescribed upstream)",
                                    "the published configuration result is a bare object; the"
                                            + " live API returns config.ingress[].hostname"),
                            Map.entry(
                                    "certificate_pack (undescribed upstream)",
                                    "the published certificate pack items are bare objects"),
                            Map.entry(
                                    "entrypoint.rules[].ratelimit",
                                    "rate limiting rules carry ratelimit{period,"
                                            + " requests_per_period, ...} in the live API; the"
                                            + " published rule variants leave it out"),
                            Map.entry(
                                    "envelope.errors[].error_chain",
                                    "Cloudflare nests the cause of an error (6003 Invalid request"
                                            + " headers, then 6111) in error_chain"),
                            Map.entry(
                                    "envelope.result_info.total_pages",
                                    "the live API returns total_pages on page-numbered lists; the"
                                            + " published result_info has no such field"),
                            Map.entry(
                                    "envelope.result_info.cursor",
                                    "the rulesets list is cursor-paged in the live API"
                                            + " (result_info.cursor), not in the 2024 schema")));

    @Test
    void everyFixtureIsValidOnceWrappedAsTheStubAnswersIt() throws IOException {
        List<String> problems = new ArrayList<>();
        Schema envelope = schema("envelope");
        Instant now = Instant.now();
        for (Fixture f : FIXTURES) {
            Schema result = schema(f.schema());
            List<Path> files = files(f.glob());
            assertThat(files).as("fixture files matching %s", f.glob()).isNotEmpty();
            for (Path file : files) {
                JsonNode payload = FixtureJson.read(file, now);
                if (f.list() && !payload.isArray()) {
                    problems.add(file + ": a list is expected");
                    continue;
                }
                Reply wrapped = f.list() ? Paging.whole(elements(payload)) : Reply.ok(payload);
                report(
                        problems,
                        file + " (envelope)",
                        envelope.validate(FixtureJson.JSON.readTree(wrapped.body())));
                if (f.list()) {
                    for (int i = 0; i < payload.size(); i++) {
                        report(problems, file + "[" + i + "]", result.validate(payload.get(i)));
                    }
                } else {
                    report(problems, file.toString(), result.validate(payload));
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aGeneratedZoneIsValidToo() throws IOException {
        StubFleet fleet = StubFleet.standard();
        fleet.addGeneratedZone(
                fleet.accountIds().getFirst(),
                "0000000000000000000000000000cafe",
                "gen.example",
                3);
        FleetData.Zone z = fleet.zone("0000000000000000000000000000cafe").orElseThrow();
        List<String> problems = new ArrayList<>();

        report(problems, "zone", schema("zone").validate(z.zone()));
        Schema records = schema("dns_record");
        z.files()
                .get("dns_records")
                .forEach(r -> report(problems, r.get("name").asString(), records.validate(r)));
        Schema packs = schema("certificate_pack");
        z.files()
                .get("certificate_packs")
                .forEach(p -> report(problems, "pack", packs.validate(p)));

        assertThat(problems).isEmpty();
    }

    @Test
    void ourSchemasDeclareOnlyWhatThePublishedSchemaHasOrIsKnownNewer() throws IOException {
        PublishedSchema published = PublishedSchema.load();
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(PUBLISHED).entrySet()) {
            boolean list =
                    FIXTURES.stream()
                            .filter(f -> f.schema().equals(e.getKey()))
                            .findFirst()
                            .orElseThrow()
                            .list();
            JsonNode ours =
                    FixtureJson.JSON.readTree(
                            Files.readString(SCHEMAS.resolve(e.getKey() + ".json")));
            published.compare(ours, ours, published.result(e.getValue(), list), e.getKey(), found);
        }
        JsonNode envelope =
                FixtureJson.JSON.readTree(Files.readString(SCHEMAS.resolve("envelope.json")));
        List<String> envelopeFound = new ArrayList<>();
        published.compare(
                envelope, envelope, published.response("/zones"), "envelope", envelopeFound);
        // result is free-form in our envelope; its shape is the result schemas' business
        found.addAll(envelopeFound);

        assertThat(found).containsExactlyInAnyOrderElementsOf(KNOWN.keySet());
    }

    private static Schema schema(String name) throws IOException {
        try (InputStream in = Files.newInputStream(SCHEMAS.resolve(name + ".json"))) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(in);
        }
    }

    private static List<Path> files(String glob) throws IOException {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (Stream<Path> s = Files.walk(StubFleet.STANDARD_DIR)) {
            return s.filter(p -> m.matches(StubFleet.STANDARD_DIR.relativize(p))).sorted().toList();
        }
    }

    private static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static void report(List<String> problems, String where, List<Error> errors) {
        errors.forEach(
                e -> problems.add(where + ": " + e.getInstanceLocation() + " " + e.getMessage()));
    }
}
