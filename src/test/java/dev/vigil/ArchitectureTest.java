package dev.vigil;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Features depend on each other in the direction of the data flow only (DESIGN.md): a feature may
 * use the features listed before it in {@link #FLOW_ORDER}, never one after it.
 */
class ArchitectureTest {

    /** Lowest first. {@code app} wires everything; nothing depends on {@code app} but Main. */
    static final List<String> FLOW_ORDER =
            List.of(
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
                    "app",
                    "bench",
                    "chaos");

    private static final JavaClasses CLASSES =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("dev.vigil");

    @Test
    void featuresDependOnlyOnFeaturesEarlierInTheFlow() {
        Set<String> violations = new TreeSet<>();
        for (JavaClass origin : CLASSES) {
            String from = feature(origin);
            if (from == null) {
                continue;
            }
            origin.getDirectDependenciesFromSelf()
                    .forEach(
                            d -> {
                                String to = feature(d.getTargetClass());
                                if (to != null
                                        && !to.equals(from)
                                        && FLOW_ORDER.indexOf(to) > FLOW_ORDER.indexOf(from)) {
                                    violations.add(from + " -> " + to + ": " + d.getDescription());
                                }
                            });
        }
        assertThat(violations).as("dependencies against the data flow").isEmpty();
    }

    @Test
    void featuresHaveNoCycles() {
        slices().matching("dev.vigil.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void internalPackagesAreUsedOnlyByTheirOwnFeature() {
        Map<String, Integer> seen = new java.util.HashMap<>();
        Set<String> violations = new TreeSet<>();
        for (JavaClass origin : CLASSES) {
            String from = feature(origin);
            origin.getDirectDependenciesFromSelf()
                    .forEach(
                            d -> {
                                JavaClass target = d.getTargetClass();
                                String to = feature(target);
                                if (to != null
                                        && target.getPackageName().contains(".internal")
                                        && !to.equals(from)) {
                                    violations.add(d.getDescription());
                                }
                                seen.merge(to == null ? "-" : to, 1, Integer::sum);
                            });
        }
        assertThat(seen).isNotEmpty();
        assertThat(violations).as("uses of another feature's internal package").isEmpty();
    }

    private static @org.jspecify.annotations.Nullable String feature(JavaClass c) {
        String pkg = c.getPackageName();
        if (!pkg.startsWith("dev.vigil.")) {
            return null;
        }
        String rest = pkg.substring("dev.vigil.".length());
        int dot = rest.indexOf('.');
        String name = dot < 0 ? rest : rest.substring(0, dot);
        return FLOW_ORDER.contains(name) ? name : null;
    }
}
