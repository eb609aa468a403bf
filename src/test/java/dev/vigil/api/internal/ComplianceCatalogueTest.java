package dev.vigil.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.internal.ComplianceCatalogue.Control;
import dev.vigil.checks.CheckDefinition;
import dev.vigil.checks.RuleSets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComplianceCatalogueTest {

    static final ComplianceCatalogue CATALOGUE = ComplianceCatalogue.shipped();

    @Test
    void controlIdsSortNaturally() {
        List<String> ids =
                new ArrayList<>(List.of("13.10", "4.1", "AC-12", "AC-2(3)", "AC-2", "3.10", "3.3"));
        ids.sort(ControlOrder.INSTANCE);

        assertThat(ids).containsExactly("3.3", "3.10", "4.1", "13.10", "AC-2", "AC-2(3)", "AC-12");
    }

    @Test
    void everyMappingOfTheShippedRulesIsAControlListingItsCheck() {
        int mappings = 0;
        for (CheckDefinition c : RuleSets.catalogue().checks()) {
            for (Map.Entry<String, List<String>> e : c.compliance().entrySet()) {
                ComplianceFramework f = ComplianceFramework.of(e.getKey()).orElseThrow();
                for (String control : e.getValue()) {
                    mappings++;
                    assertThat(CATALOGUE.controls(f))
                            .as(f.id() + " " + control)
                            .anyMatch(k -> k.id().equals(control) && k.checkIds().contains(c.id()));
                }
            }
            assertThat(CATALOGUE.of(c.id())).isEqualTo(c.compliance());
        }
        int listed = 0;
        for (ComplianceFramework f : ComplianceFramework.values()) {
            for (Control k : CATALOGUE.controls(f)) {
                listed += k.checks().size();
            }
        }
        assertThat(listed).isEqualTo(mappings).isPositive();
    }

    @Test
    void aFilterValueNamesTheChecksOfItsFrameworkOrControl() {
        List<String> control = CATALOGUE.checksOf("compliance", "cis_v8:3.10");
        List<String> framework = CATALOGUE.checksOf("compliance", "cis_v8");

        assertThat(control).contains("tls.ssl_flexible").doesNotHaveDuplicates();
        assertThat(control)
                .allMatch(id -> CATALOGUE.of(id).get("cis_v8").contains("3.10"), "maps to 3.10");
        assertThat(framework).containsAll(control).doesNotHaveDuplicates();
        assertThat(framework).allMatch(id -> CATALOGUE.of(id).containsKey("cis_v8"), "maps to CIS");
    }

    @Test
    void anUnknownFrameworkOrControlIsA400NamingTheParameter() {
        assertThatThrownBy(() -> CATALOGUE.checksOf("compliance~neq", "soc2"))
                .isInstanceOfSatisfying(
                        ApiProblem.class,
                        p -> {
                            assertThat(p.status()).isEqualTo(400);
                            assertThat(p.field()).isEqualTo("compliance~neq");
                        })
                .hasMessageContaining("unknown framework 'soc2'")
                .hasMessageContaining("cis_v8, nist_800_53, pci_dss_4");
        assertThatThrownBy(() -> CATALOGUE.checksOf("compliance", "pci_dss_4:0.0"))
                .isInstanceOf(ApiProblem.class)
                .hasMessageContaining("control '0.0'");
    }

    @Test
    void labelsAreTheFilterForm() {
        assertThat(CATALOGUE.labels("tls.ssl_flexible"))
                .contains("cis_v8:3.10")
                .allMatch(l -> l.matches("(cis_v8|nist_800_53|pci_dss_4):.+"));
        assertThat(CATALOGUE.labels("no.such_check")).isEmpty();
    }
}
