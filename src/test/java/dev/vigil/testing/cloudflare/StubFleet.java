package dev.vigil.testing.cloudflare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The accounts and zones a {@link CloudflareStub} serves: fixture files (the API's {@code result}
 * payloads, see {@code src/test/resources/cloudflare/fleet/FLEET.md}) plus zones added or removed
 * by a test. Thread-safe: the zone and token maps are concurrent, so a test may add or remove a
 * zone while a scan reads the stub; each zone's payloads are immutable once added.
 */
public final class StubFleet {

    /** The API token every fleet accepts. */
    public static final String TOKEN = "vigil-stub-token-0123456789abcdefghijklmnop";

    /** Where {@link #standard()} reads from (relative to the project root). */
    public static final Path STANDARD_DIR = Path.of("src/test/resources/cloudflare/fleet");

    /** The clean zone whose payloads {@link #addGeneratedZone} copies. */
    static final String TEMPLATE_ZONE = "5b1f2d7c8e0a4c6fb1d3e5a7c9f0b2d4";

    private final Map<String, FleetData.Account> accounts;
    private final Map<String, FleetData.Zone> zones = new ConcurrentHashMap<>();
    private final Set<String> tokens = new CopyOnWriteArraySet<>(Set.of(TOKEN));
    private final Map<String, List<String>> dnsAnswers;
    private final Set<String> nxdomain;

    private StubFleet(
            Map<String, FleetData.Account> accounts,
            Map<String, FleetData.Zone> zones,
            Map<String, List<String>> dnsAnswers,
            Set<String> nxdomain) {
        this.accounts = Map.copyOf(accounts);
        this.zones.putAll(zones);
        this.dnsAnswers = Map.copyOf(dnsAnswers);
        this.nxdomain = Set.copyOf(nxdomain);
    }

    /** The standard fleet ({@link #STANDARD_DIR}), relative instants resolved against now. */
    public static StubFleet standard() {
        return load(STANDARD_DIR, Instant.now());
    }

    /**
     * A fleet read from {@code dir} (layout in FLEET.md), relative instants against {@code now}.
     */
    public static StubFleet load(Path dir, Instant now) {
        Map<String, FleetData.Account> accounts = new LinkedHashMap<>();
        for (Path a : children(dir.resolve("accounts"))) {
            Map<String, JsonNode> configs = new HashMap<>();
            Path cfgDir = a.resolve("tunnel_configs");
            if (Files.isDirectory(cfgDir)) {
                for (Path c : jsonFiles(cfgDir)) {
                    configs.put(baseName(c), FixtureJson.read(c, now));
                }
            }
            String id = a.getFileName().toString();
            accounts.put(id, new FleetData.Account(id, readAll(a, now), configs));
        }
        Map<String, FleetData.Zone> zones = new LinkedHashMap<>();
        for (Path z : children(dir.resolve("zones"))) {
            Map<String, JsonNode> entrypoints = new HashMap<>();
            Path epDir = z.resolve("entrypoints");
            if (Files.isDirectory(epDir)) {
                for (Path e : jsonFiles(epDir)) {
                    entrypoints.put(baseName(e), FixtureJson.read(e, now));
                }
            }
            String id = z.getFileName().toString();
            FleetData.Zone zone = new FleetData.Zone(id, readAll(z, now), entrypoints);
            if (!accounts.containsKey(zone.accountId())) {
                throw new IllegalStateException(
                        "zone " + id + " names account " + zone.accountId() + ", not in " + dir);
            }
            zones.put(id, zone);
        }
        Map<String, List<String>> answers = new HashMap<>();
        Set<String> nx = new TreeSet<>();
        Path dns = dir.resolve("dns.json");
        if (Files.exists(dns)) {
            for (Map.Entry<String, JsonNode> e : FixtureJson.read(dns, now).properties()) {
                if (e.getValue().isString() && e.getValue().asString().equals("NXDOMAIN")) {
                    nx.add(e.getKey());
                } else {
                    List<String> ips = new ArrayList<>();
                    e.getValue().forEach(v -> ips.add(v.asString()));
                    answers.put(e.getKey(), List.copyOf(ips));
                }
            }
        }
        return new StubFleet(accounts, zones, answers, nx);
    }

    /**
     * Adds a zone of {@code accountId} named {@code name}: the clean template zone's settings and
     * protections, and as DNS records {@code dnsRecordCount} proxied A records to public
     * (documentation-range) addresses plus the apex CAA, SPF, DMARC and DKIM records that keep it
     * clean ({@link #dnsRecordCount} tells the total). Every check PASSes on it.
     */
    public void addGeneratedZone(String accountId, String zoneId, String name, int dnsRecordCount) {
        FleetData.Account account = accounts.get(accountId);
        if (account == null) {
            throw new IllegalArgumentException(
                    "no account " + accountId + " in the fleet (accounts: " + accountIds() + ")");
        }
        FleetData.Zone template = zones.get(TEMPLATE_ZONE);
        if (template == null) {
            throw new IllegalStateException("the template zone " + TEMPLATE_ZONE + " was removed");
        }
        zones.put(
                zoneId,
                GeneratedZones.from(
                        template, account, zoneId, name, dnsRecordCount, Instant.now()));
    }

    /** Removes a zone (the API then answers 404 for it and leaves it out of {@code /zones}). */
    public void removeZone(String zoneId) {
        zones.remove(zoneId);
    }

    /** Accepts one more API token. */
    public void addToken(String token) {
        tokens.add(token);
    }

    public List<String> accountIds() {
        return List.copyOf(accounts.keySet());
    }

    /** The zones present now, in the order {@code /zones} lists them (by name). */
    public List<String> zoneIds() {
        return sortedZones().stream().map(FleetData.Zone::id).toList();
    }

    /** The number of DNS records the zone holds. */
    public int dnsRecordCount(String zoneId) {
        FleetData.Zone z = zones.get(zoneId);
        if (z == null) {
            throw new IllegalArgumentException("no zone " + zoneId + " in the fleet");
        }
        return z.files().get("dns_records").size();
    }

    /** What the loopback DNS server should answer for each name of {@code dns.json}. */
    public Map<String, List<String>> dnsAnswers() {
        return dnsAnswers;
    }

    /** The names {@code dns.json} marks NXDOMAIN. */
    public Set<String> nxdomainNames() {
        return nxdomain;
    }

    boolean acceptsToken(String token) {
        return tokens.contains(token);
    }

    Optional<FleetData.Account> account(String id) {
        return Optional.ofNullable(accounts.get(id));
    }

    List<FleetData.Account> accounts() {
        return List.copyOf(accounts.values());
    }

    Optional<FleetData.Zone> zone(String id) {
        return Optional.ofNullable(zones.get(id));
    }

    List<FleetData.Zone> sortedZones() {
        return zones.values().stream()
                .sorted(
                        Comparator.comparing(FleetData.Zone::name)
                                .thenComparing(FleetData.Zone::id))
                .toList();
    }

    private static Map<String, JsonNode> readAll(Path dir, Instant now) {
        Map<String, JsonNode> files = new HashMap<>();
        for (Path f : jsonFiles(dir)) {
            files.put(baseName(f), FixtureJson.read(f, now));
        }
        return files;
    }

    private static List<Path> children(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot list fleet directory " + dir.toAbsolutePath(), e);
        }
    }

    private static List<Path> jsonFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list fixture directory " + dir, e);
        }
    }

    private static String baseName(Path p) {
        String n = p.getFileName().toString();
        return n.substring(0, n.length() - ".json".length());
    }
}
