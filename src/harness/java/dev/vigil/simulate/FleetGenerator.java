package dev.vigil.simulate;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * A deterministic synthetic fleet: {@code accounts} accounts and {@code zones} zones spread over
 * the four plans, each with a configuration document in the shape of CHECKS.md. Every document
 * starts clean (PASS or NOT_APPLICABLE for every check of the catalogue); misconfigurations are
 * then planted at {@link #ZONE_PLANT_RATE} / {@link #ACCOUNT_PLANT_RATE} per check, and the
 * generator knows exactly which insights they must produce.
 *
 * <p>Everything is a pure function of the seed and the target: {@link #document(Target)} and {@link
 * #planted(Target)} can be called in any order, from any thread, for one target of a fleet of
 * millions without building the rest. Instances are immutable and thread-safe.
 */
public final class FleetGenerator {

    /** Chance that a given zone check is planted on a given zone. */
    public static final double ZONE_PLANT_RATE = 0.05;

    /** Chance that a given account check is planted on a given account (accounts are fewer). */
    public static final double ACCOUNT_PLANT_RATE = 0.08;

    /** Chance that an API check is planted on a zone that has API Gateway (non-free plans). */
    public static final double API_PLANT_RATE = 0.08;

    /** The {@code _fetched_at} stamp of every document, so time-based checks are reproducible. */
    public static final String FETCHED_AT = "2026-01-01T00:00:00Z";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] WORDS = {
        "acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka", "cyberdyne",
        "soylent", "tyrell", "aperture", "vandelay", "oscorp", "monarch", "duff", "gringotts",
                "nakatomi"
    };
    private static final String[] TLDS = {"com", "net", "io", "org", "dev", "shop", "co.uk", "de"};

    private final long seed;
    private final int accounts;
    private final int zones;

    private FleetGenerator(long seed, int accounts, int zones) {
        if (accounts < 1 || zones < 0) {
            throw new IllegalArgumentException(
                    "a fleet needs at least one account and no negative zone count, got accounts="
                            + accounts
                            + ", zones="
                            + zones);
        }
        this.seed = seed;
        this.accounts = accounts;
        this.zones = zones;
    }

    public static FleetGenerator of(long seed, int accounts, int zones) {
        return new FleetGenerator(seed, accounts, zones);
    }

    /** Generates a whole fleet in memory: targets, documents and planted insights. */
    public static Fleet generate(long seed, int accounts, int zones) {
        FleetGenerator gen = of(seed, accounts, zones);
        List<Target> targets = gen.targets().toList();
        Map<String, byte[]> docs = new HashMap<>();
        Set<PlantedInsight> planted = new HashSet<>();
        for (Target t : targets) {
            Built b = gen.build(t);
            docs.put(t.targetId(), b.json());
            planted.addAll(b.planted());
        }
        return new Fleet(targets, docs, planted);
    }

    /** Number of targets: accounts then zones. */
    public long size() {
        return (long) accounts + zones;
    }

    /** Accounts first (indexes 0..accounts-1), then zones; computed on demand. */
    public Stream<Target> targets() {
        return IntStream.range(0, accounts + zones).mapToObj(this::target);
    }

    /** The target at {@code index} (0 ≤ index < size()). */
    public Target target(int index) {
        if (index < 0 || index >= accounts + zones) {
            throw new IndexOutOfBoundsException("target " + index + " of a fleet of " + size());
        }
        if (index < accounts) {
            return Target.account(idOf(index), accountName(index), plan("account", index));
        }
        int z = index - accounts;
        int owner = (int) Math.floorMod(Gen.mix(seed, "owner" + z), (long) accounts);
        String name =
                WORDS[z % WORDS.length] + "-" + z + "." + TLDS[(z / WORDS.length) % TLDS.length];
        return Target.zone(idOf(index), idOf(owner), name, plan("zone", z));
    }

    /**
     * The target with this id, in O(1) and without building the fleet: ids encode their index (see
     * {@link TargetIds}), so a config service can serve a fleet of millions by id.
     */
    public Optional<Target> find(String targetId) {
        long index = TargetIds.indexOf(seed, targetId);
        if (index < 0 || index >= size()) {
            return Optional.empty();
        }
        Target t = target((int) index);
        return t.targetId().equals(targetId) ? Optional.of(t) : Optional.empty();
    }

    private String idOf(int index) {
        return TargetIds.idOf(seed, index);
    }

    /** The target's configuration document as JSON (UTF-8). */
    public byte[] document(Target target) {
        return build(target).json();
    }

    /** The insights the target's document must produce. */
    public Set<PlantedInsight> planted(Target target) {
        return build(target).planted();
    }

    // the document's bytes as served; a Built is never compared or hashed
    @SuppressWarnings("ArrayRecordComponent")
    private record Built(byte[] json, Set<PlantedInsight> planted) {}

    private Built build(Target t) {
        Gen g = new Gen(Gen.mix(seed, "doc" + t.targetId()));
        Set<PlantedInsight> planted = new LinkedHashSet<>();
        Map<String, Object> doc;
        if (t.kind() == TargetKind.ZONE) {
            doc = ZoneDocuments.baseline(g, t, FETCHED_AT);
            Set<String> groups = new HashSet<>();
            for (ZonePlants.Plant p : ZonePlants.ALL) {
                boolean api = p.checkId().startsWith("api.");
                if (api && !doc.containsKey("api_gateway")) {
                    continue;
                }
                if (!g.chance(api ? API_PLANT_RATE : ZONE_PLANT_RATE)
                        || (!p.group().isEmpty() && !groups.add(p.group()))) {
                    continue;
                }
                for (String[] f : p.planter().plant(g, doc, t.name())) {
                    planted.add(new PlantedInsight(t.accountId(), t.zoneId(), f[0], f[1]));
                }
            }
        } else {
            doc = AccountDocuments.baseline(g, t, FETCHED_AT);
            for (AccountDocuments.Plant p : AccountDocuments.ALL) {
                if (g.chance(ACCOUNT_PLANT_RATE)) {
                    for (String[] f : p.planter().plant(g, doc, t.name())) {
                        planted.add(new PlantedInsight(t.accountId(), null, f[0], f[1]));
                    }
                }
            }
        }
        return new Built(JSON.writeValueAsBytes(doc), planted);
    }

    /** Every check id this generator can plant. */
    public static Set<String> plantableChecks() {
        Set<String> ids = new LinkedHashSet<>();
        ZonePlants.ALL.forEach(p -> ids.add(p.checkId()));
        AccountDocuments.ALL.forEach(p -> ids.add(p.checkId()));
        return ids;
    }

    private static String accountName(int index) {
        String w = WORDS[index % WORDS.length];
        return Character.toUpperCase(w.charAt(0)) + w.substring(1) + " " + index;
    }

    /** Plans by share of a typical fleet: 55 % free, 20 % pro, 15 % business, 10 % enterprise. */
    private Plan plan(String kind, int index) {
        double r = new Gen(Gen.mix(seed, "plan" + kind + index)).chance(0.55) ? 0 : 1;
        if (r == 0) {
            return Plan.FREE;
        }
        double x = Math.floorMod(Gen.mix(seed, "tier" + kind + index), 45L);
        return x < 20 ? Plan.PRO : x < 35 ? Plan.BUSINESS : Plan.ENTERPRISE;
    }

    static List<String> zoneCheckIds() {
        List<String> ids = new ArrayList<>();
        ZonePlants.ALL.forEach(p -> ids.add(p.checkId()));
        return ids;
    }
}
