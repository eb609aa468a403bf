package dev.vigil.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.values.NullValue;
import dev.vigil.bench.BenchmarkDocuments;
import dev.vigil.bench.LargeZones;
import dev.vigil.inventory.TargetKind;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue with its rules' Java forms against the same catalogue evaluated by CEL's
 * interpreter alone ({@link RuleSet#interpreted}): equal evaluations (outcomes, findings, messages,
 * context, error reasons) on every fixture document, on seeded random mutations of each (values of
 * other types, removed members, odd strings, extra DNS records), on the documents of the
 * config-push fuzz corpus and on the benchmark's documents.
 */
class JavaFormDifferentialTest {

    private static final RuleSet RULES = RuleSets.catalogue();
    private static final RuleSet CEL_ALONE = RULES.interpreted();
    private static final int MUTANTS_PER_CASE = 24;

    private static final List<Object> VALUES =
            List.of(
                    "off",
                    "on",
                    "full",
                    "flexible",
                    "strict",
                    "1.0",
                    "1.2",
                    "1.3",
                    "active",
                    "deleted",
                    "accepted",
                    "allow",
                    "block",
                    "none",
                    "mixed",
                    "TXT",
                    "txt",
                    "CAA",
                    "A",
                    "AAAA",
                    "CNAME",
                    "*.example.com",
                    "_dmarc.example.com",
                    "s1._domainkey.example.com",
                    "v=spf1 +all",
                    "\"v=spf1\" \" ?all\"",
                    "v=spf1 include:x -all",
                    "v=DMARC1; p=none",
                    "V=dmarc1;p=reject",
                    "10.0.0.5",
                    "203.0.113.7",
                    "::ffff:10.1.1.1",
                    "fe80::1",
                    "2001:db8::1",
                    "not an ip",
                    "example.com",
                    "EXAMPLE.COM.",
                    "unassigned",
                    "UNREACHABLE",
                    "nxdomain",
                    "",
                    "Ä\uD83D\uDE00",
                    "Super Administrator",
                    "2026-01-01T00:00:00Z",
                    "http_request_firewall_custom",
                    "http_ratelimit",
                    "under_attack",
                    0L,
                    1L,
                    -1L,
                    3L,
                    15552000L,
                    Long.MAX_VALUE,
                    1.5,
                    Double.NaN,
                    true,
                    false,
                    NullValue.NULL_VALUE,
                    List.of(),
                    Map.of(),
                    List.of("a", 1L));

    static Stream<CatalogueFixturesTest.Case> cases() {
        return CatalogueFixturesTest.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fixtureAndItsMutantsEvaluateAlike(CatalogueFixturesTest.Case c) throws IOException {
        Map<String, Object> doc = CatalogueFixturesTest.document(c);
        assertAlike(c.kind(), doc, c.toString());
        Random random = new Random(c.toString().hashCode());
        for (int i = 0; i < MUTANTS_PER_CASE; i++) {
            Object mutant = copy(doc);
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                mutate(mutant, random);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> d = (Map<String, Object>) mutant;
            assertAlike(c.kind(), d, c + ", mutant " + i);
        }
    }

    @Test
    void benchmarkDocumentsEvaluateAlike() {
        assertAlike(TargetKind.ZONE, BenchmarkDocuments.typicalZone(), "typical zone");
        assertAlike(TargetKind.ACCOUNT, BenchmarkDocuments.typicalAccount(), "typical account");
        assertAlike(TargetKind.ZONE, LargeZones.withRecords(2_000).document(), "2,000 records");
    }

    @Test
    void pushFuzzCorpusEvaluatesAlike() throws IOException, URISyntaxException {
        Path corpus =
                Path.of(
                        Objects.requireNonNull(
                                        getClass()
                                                .getClassLoader()
                                                .getResource(
                                                        "dev/vigil/api/ConfigPushFuzzITInputs"))
                                .toURI());
        int documents = 0;
        try (Stream<Path> files = Files.walk(corpus)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(p);
                int start = new String(bytes, StandardCharsets.ISO_8859_1).indexOf('{');
                Map<String, Object> doc;
                try {
                    // an input is the fuzz target's header (kind, version), then the pushed body
                    doc =
                            ConfigDocuments.parse(
                                    Arrays.copyOfRange(bytes, Math.max(0, start), bytes.length));
                } catch (RuntimeException notADocument) {
                    continue; // the corpus also holds bytes the push must refuse
                }
                documents++;
                for (TargetKind kind : TargetKind.values()) {
                    assertAlike(kind, doc, p.getFileName() + " as " + kind);
                }
            }
        }
        assertThat(documents).as("documents in the push corpus").isGreaterThanOrEqualTo(2);
    }

    private static void assertAlike(TargetKind kind, Map<String, Object> doc, String what) {
        Evaluation withForms = RULES.evaluate(kind, doc);
        Evaluation celAlone = CEL_ALONE.evaluate(kind, doc);
        assertThat(withForms).as(what).isEqualTo(celAlone);
    }

    /** A mutable deep copy of a decoded document. */
    private static Object copy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, copy(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(copy(v)));
            return out;
        }
        return o;
    }

    /** One random change somewhere in the tree: replace, remove, append or duplicate. */
    @SuppressWarnings("unchecked")
    private static void mutate(Object root, Random random) {
        List<Object> containers = new ArrayList<>();
        collect(root, containers);
        Object target = containers.get(random.nextInt(containers.size()));
        Object value = value(random);
        if (target instanceof Map<?, ?> raw) {
            Map<String, Object> m = (Map<String, Object>) raw;
            List<String> keys = new ArrayList<>(m.keySet());
            int op = random.nextInt(4);
            String key = keys.isEmpty() ? "extra" : keys.get(random.nextInt(keys.size()));
            if (keys.isEmpty() || op == 2) {
                m.put(random.nextBoolean() ? "extra" : key, value);
            } else if (op == 0) {
                m.put(key, value);
            } else if (op == 1) {
                m.remove(key);
            } else if (m.get(key) instanceof String text) {
                // the same word in other letters: rules compare exactly or after lowerAscii
                m.put(key, random.nextBoolean() ? text.toUpperCase(Locale.ROOT) : text + " ");
            } else {
                m.put(key, value);
            }
        } else if (target instanceof List<?> raw) {
            List<Object> l = (List<Object>) raw;
            if (!l.isEmpty() && random.nextBoolean()) {
                int i = random.nextInt(l.size());
                if (random.nextBoolean()) {
                    l.set(i, value);
                } else {
                    l.add(copy(l.get(i)));
                }
            } else {
                l.add(random.nextInt(3) == 0 ? value : record(random));
            }
        }
    }

    private static void collect(Object o, List<Object> out) {
        if (o instanceof Map<?, ?> m) {
            out.add(o);
            m.values().forEach(v -> collect(v, out));
        } else if (o instanceof List<?> l) {
            out.add(o);
            l.forEach(v -> collect(v, out));
        }
    }

    private static Object value(Random random) {
        Object v = VALUES.get(random.nextInt(VALUES.size()));
        return copy(v);
    }

    /** A DNS record with fields of the usual kinds, each sometimes absent or of another type. */
    private static Map<String, Object> record(Random random) {
        Map<String, Object> r = new LinkedHashMap<>();
        put(r, "id", "r-" + random.nextInt(1_000), random);
        put(r, "type", pick(random, "A", "AAAA", "CNAME", "TXT", "CAA", "a", "cname"), random);
        put(
                r,
                "name",
                pick(
                        random,
                        "example.com",
                        "www.example.com",
                        "*.example.com",
                        "_dmarc.example.com",
                        "s1._domainkey.example.com",
                        "_sip._tcp.example.com",
                        "EXAMPLE.COM."),
                random);
        put(
                r,
                "content",
                pick(
                        random,
                        "203.0.113.7",
                        "10.0.0.5",
                        "2001:db8::1",
                        "::ffff:192.168.0.1",
                        "gone.example.net",
                        "v=spf1 -all",
                        "v=DMARC1; p=none",
                        "0 issue \"letsencrypt.org\""),
                random);
        put(r, "proxied", random.nextBoolean(), random);
        return r;
    }

    private static void put(Map<String, Object> r, String field, Object usual, Random random) {
        int roll = random.nextInt(8);
        if (roll == 0) {
            return; // absent
        }
        r.put(field, roll == 1 ? value(random) : usual);
    }

    private static String pick(Random random, String... options) {
        return options[random.nextInt(options.length)];
    }
}
