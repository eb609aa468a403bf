package dev.vigil.checks;

import dev.vigil.inventory.TargetKind;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metadata of one check, as written in its rule file (the CEL expressions live in the compiled
 * rule set, not here).
 *
 * @param compliance framework ({@code cis_v8}, {@code nist_800_53}, {@code pci_dss_4}) to control
 *     ids; empty when the check maps to none
 * @param reads the top-level sections of the configuration document the check reads
 */
public record CheckDefinition(
        String id,
        TargetKind appliesTo,
        String title,
        String description,
        IssueType issueType,
        Severity severity,
        String risk,
        List<String> remediationSteps,
        String remediationLink,
        List<String> references,
        Map<String, List<String>> compliance,
        Set<String> reads) {

    public CheckDefinition {
        remediationSteps = List.copyOf(remediationSteps);
        references = List.copyOf(references);
        compliance = Map.copyOf(compliance);
        reads = Set.copyOf(reads);
    }
}
