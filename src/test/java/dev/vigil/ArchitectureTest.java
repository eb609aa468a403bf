package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every feature (a package under {@code dev.vigil}, with its subpackages) may use only the features
 * listed for it in {@link #ALLOWED}, and that list is the one {@code docs/architecture.md} shows.
 * The command line in the root package has a list like every other feature: nothing is exempt. A
 * class in a package that is not listed fails the test, so a new feature is added here and in the
 * document, with its dependencies, before it can be merged.
 */
class ArchitectureTest {

    /**
     * The name of the root package ({@code Main} and one class per command) in {@link #ALLOWED}.
     */
    static final String ROOT = "(root)";

    /**
     * Allowed dependencies per feature, in the direction of the data flow (DESIGN.md). Some entries
     * are not used yet and are there for work in flight: {@code sources → config, checks} for the
     * Cloudflare connector ({@code dev.vigil.sources.cloudflare}), {@code (root) → sources,
     * results, telemetry} for the {@code scan} command, {@code scheduling → telemetry} for the
     * scheduler's spans. {@code app → embedded} is the demo's (it starts an in-process broker and
     * database).
     */
    static final Map<String, Set<String>> ALLOWED = allowed();

    private static Map<String, Set<String>> allowed() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("config", Set.of());
        m.put("telemetry", Set.of());
        m.put("failure", Set.of());
        m.put("embedded", Set.of());
        m.put("tokens", Set.of());
        m.put("inventory", Set.of("config"));
        m.put("checks", Set.of("inventory"));
        m.put("events", Set.of("config", "failure", "inventory", "telemetry"));
        m.put("sources", Set.of("config", "failure", "inventory", "checks", "telemetry"));
        m.put("scheduling", Set.of("config", "inventory", "events", "telemetry"));
        m.put("results", Set.of("failure", "inventory", "checks", "telemetry"));
        m.put(
                "worker",
                Set.of(
                        "config",
                        "failure",
                        "inventory",
                        "checks",
                        "events",
                        "sources",
                        "results",
                        "telemetry"));
        m.put("simulate", Set.of("inventory"));
        m.put("snapshots", Set.of("inventory", "events"));
        m.put("alerts", Set.of("config", "failure", "inventory", "checks", "telemetry"));
        m.put(
                "api",
                Set.of(
                        "config",
                        "inventory",
                        "checks",
                        "events",
                        "scheduling",
                        "results",
                        "snapshots",
                        "telemetry",
                        "tokens",
                        "alerts"));
        m.put("dashboard", Set.of());
        m.put(
                "app",
                Set.of(
                        "config",
                        "telemetry",
                        "embedded",
                        "inventory",
                        "checks",
                        "events",
                        "sources",
                        "scheduling",
                        "results",
                        "worker",
                        "simulate",
                        "api",
                        "dashboard",
                        "tokens",
                        "alerts"));
        m.put(
                "bench",
                Set.of(
                        "config",
                        "telemetry",
                        "embedded",
                        "inventory",
                        "checks",
                        "events",
                        "sources",
                        "scheduling",
                        "results",
                        "worker",
                        "simulate",
                        "api",
                        "app",
                        "tokens",
                        "alerts"));
        m.put(
                "chaos",
                Set.of(
                        "embedded",
                        "inventory",
                        "events",
                        "worker",
                        "simulate",
                        "api",
                        "app",
                        "tokens"));
        m.put(
                ROOT,
                Set.of(
                        "config",
                        "telemetry",
                        "inventory",
                        "checks",
                        "events",
                        "sources",
                        "scheduling",
                        "results",
                        "worker",
                        "simulate",
                        "api",
                        "app",
                        "bench",
                        "chaos",
                        "tokens"));
        return m;
    }

    private static final JavaClasses CLASSES =
            new ClassFileImporter()
                    // The predefined "no tests" option knows target/test-classes only; the tests
                    // compile into target/harness/test-classes.
                    .withImportOption(location -> !location.contains("/test-classes/"))
                    .importPackages("dev.vigil");

    @Test
    void everyFeatureUsesOnlyTheFeaturesItIsAllowed() {
        Set<String> violations = new TreeSet<>();
        for (JavaClass origin : CLASSES) {
            String from = feature(origin);
            Set<String> allowed = ALLOWED.get(from);
            if (allowed == null) {
                violations.add(
                        origin.getName()
                                + " is in feature '"
                                + from
                                + "', which ArchitectureTest.ALLOWED and docs/architecture.md do"
                                + " not list: add it to both with its dependencies");
                continue;
            }
            origin.getDirectDependenciesFromSelf()
                    .forEach(
                            d -> {
                                if (!ours(d.getTargetClass())) {
                                    return;
                                }
                                String to = feature(d.getTargetClass());
                                if (!to.equals(from) && !allowed.contains(to)) {
                                    violations.add(from + " -> " + to + ": " + d.getDescription());
                                }
                            });
        }
        assertThat(violations).as("dependencies not in ArchitectureTest.ALLOWED").isEmpty();
    }

    @Test
    void allowedDependenciesFollowOneDirection() {
        List<String> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String f : ALLOWED.keySet()) {
            visit(f, new ArrayList<>(), done, order);
        }
        assertThat(order).containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());
    }

    /** The packages that run a pipeline without outside infrastructure; never in the product. */
    static final Set<String> HARNESS = Set.of("bench", "chaos", "simulate", "embedded");

    @Test
    void theProductHoldsNoneOfTheHarnessAndNeverReachesIt() {
        List<JavaClass> product = new ArrayList<>();
        List<JavaClass> harness = new ArrayList<>();
        for (JavaClass c : CLASSES) {
            String where = c.getSource().map(src -> src.getUri().toString()).orElse("");
            if (where.contains("/target/core/")) {
                product.add(c);
            } else if (where.contains("/target/harness/")) {
                harness.add(c);
            }
        }
        assertThat(product).as("classes of the product module").hasSizeGreaterThan(300);
        assertThat(product)
                .as("harness packages in the product module")
                .noneMatch(c -> HARNESS.contains(feature(c)));
        assertThat(harness.stream().map(ArchitectureTest::feature))
                .as("the harness module holds every harness package")
                .containsAll(HARNESS);
        Set<String> reaches = new TreeSet<>();
        for (JavaClass c : product) {
            c.getDirectDependenciesFromSelf().stream()
                    .filter(d -> ours(d.getTargetClass()))
                    .filter(d -> HARNESS.contains(feature(d.getTargetClass())))
                    .forEach(d -> reaches.add(d.getDescription()));
        }
        assertThat(reaches).as("product classes using the harness").isEmpty();
    }

    @Test
    void nothingDependsOnTheCommandLine() {
        assertThat(ALLOWED).allSatisfy((f, deps) -> assertThat(deps).doesNotContain(ROOT));
    }

    @Test
    void internalPackagesAreUsedOnlyByTheirOwnFeature() {
        Set<String> violations = new TreeSet<>();
        for (JavaClass origin : CLASSES) {
            String from = feature(origin);
            origin.getDirectDependenciesFromSelf()
                    .forEach(
                            d -> {
                                JavaClass target = d.getTargetClass();
                                if (ours(target)
                                        && target.getPackageName().contains(".internal")
                                        && !feature(target).equals(from)) {
                                    violations.add(d.getDescription());
                                }
                            });
        }
        assertThat(violations).as("uses of another feature's internal package").isEmpty();
    }

    /** The table of docs/architecture.md is this test's {@link #ALLOWED}, row for row. */
    @Test
    void theArchitectureDocumentShowsTheEnforcedDependencies() throws IOException {
        assertThat(documentedDependencies(Path.of("docs/architecture.md"))).isEqualTo(ALLOWED);
    }

    /**
     * Reads the rows {@code | `feature` | what it owns | `a`, `b` |} of the document's dependency
     * table ({@code —} for none).
     */
    static Map<String, Set<String>> documentedDependencies(Path doc) throws IOException {
        Pattern row = Pattern.compile("^\\| `([a-z()]+)` \\|[^|]*\\|([^|]*)\\|\\s*$");
        Pattern name = Pattern.compile("`([a-z()]+)`");
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(doc)) {
            Matcher m = row.matcher(line);
            if (m.matches()) {
                Set<String> deps = new HashSet<>();
                Matcher n = name.matcher(m.group(2));
                while (n.find()) {
                    deps.add(n.group(1));
                }
                out.put(m.group(1), deps);
            }
        }
        return out;
    }

    private static void visit(String f, List<String> path, Set<String> done, List<String> order) {
        if (done.contains(f)) {
            return;
        }
        assertThat(path).as("a cycle in ALLOWED: %s -> %s", path, f).doesNotContain(f);
        path.add(f);
        for (String to : ALLOWED.getOrDefault(f, Set.of())) {
            assertThat(ALLOWED).as("%s may use %s, which is not a feature", f, to).containsKey(to);
            visit(to, path, done, order);
        }
        path.removeLast();
        done.add(f);
        order.add(f);
    }

    private static boolean ours(JavaClass c) {
        String pkg = c.getPackageName();
        return pkg.equals("dev.vigil") || pkg.startsWith("dev.vigil.");
    }

    /** The feature of a class in {@code dev.vigil}: its first package segment, or {@link #ROOT}. */
    private static String feature(JavaClass c) {
        String pkg = c.getPackageName();
        if (pkg.equals("dev.vigil")) {
            return ROOT;
        }
        String rest = pkg.substring("dev.vigil.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
