package dev.vigil.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.RuleFile;
import dev.vigil.checks.RuleSet;
import dev.vigil.checks.RuleSets;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.results.ResultFinding;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rollout evaluates one document with two rule sets (the applied version and the shadowed
 * candidate); it is decoded once for both. Evaluating the shared decode gives each rule set the
 * result it gets on a decode of its own, for a full scan and for a change of some sections.
 */
class ScanEvaluationTest {
    static final RuleSet ACTIVE = RuleSets.catalogue();

    /**
     * The candidate adds a check reading {@code zone} and {@code settings}; the catalogue's checks
     * that read {@code zone} read {@code dns_records} with it, so after a change of {@code zone}
     * only the candidate asks for {@code settings}.
     */
    static final String CHECK = "custom.free_zone_without_tls";

    static final RuleSet CANDIDATE =
            RuleSets.withUserFiles(
                    List.of(
                            new RuleFile(
                                    "free-tls.yaml",
                                    """
                                    id: %s
                                    applies_to: zone
                                    title: 'Free zone without TLS'
                                    description: 'A house rule: a free zone must use TLS.'
                                    issue_type: compliance_violation
                                    severity: low
                                    risk: 'Free zones are where TLS is forgotten.'
                                    remediation:
                                      steps: ['Turn TLS on.']
                                      link: https://developers.cloudflare.com/ssl/
                                    reads: [zone, settings]
                                    applies: >-
                                      has(doc.zone.plan)
                                    assert: >-
                                      doc.zone.plan != 'free' || doc.settings.ssl != 'off'
                                    message: >-
                                      'zone ' + string(doc.zone.name) + ' is free and without TLS'
                                    """
                                            .formatted(CHECK))));
    static final Target ZONE = Target.zone("z-1", "a-1", "free.example", Plan.FREE);
    static final byte[] DOCUMENT =
            """
            {"zone": {"id": "z-1", "account_id": "a-1", "name": "free.example", "plan": "free"},
             "settings": {"ssl": "off", "always_use_https": "off", "min_tls_version": "1.0"},
             "dns_records": [{"type": "A", "name": "free.example", "content": "10.0.0.1"}],
             "_fetched_at": "2026-12-06T16:00:00Z"}
            """
                    .getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(strings = {"", "zone", "settings", "zone,settings"})
    void oneDecodeForBothVersionsGivesEachTheResultOfItsOwn(String changed) {
        List<String> sections = changed.isEmpty() ? List.of() : List.of(changed.split(","));
        ScanEvaluation evaluation =
                new ScanEvaluation(
                        UUID.randomUUID(), ZONE, sections, Instant.parse("2026-12-06T16:00:01Z"));

        Map<String, Object> shared = evaluation.decode(DOCUMENT, List.of(ACTIVE, CANDIDATE));

        for (RuleSet set : List.of(ACTIVE, CANDIDATE)) {
            assertThat(evaluation.evaluate(set, shared))
                    .as("rule set %s, changed %s", set.version(), sections)
                    .isEqualTo(evaluation.evaluate(set, DOCUMENT));
        }
        // every case runs the candidate's check (it reads zone and settings), on what it needs
        assertThat(evaluation.evaluate(CANDIDATE, shared).findings())
                .extracting(ResultFinding::checkId)
                .contains(CHECK);
        if (!sections.isEmpty()) {
            assertThat(shared.keySet())
                    .as("only what the checks to run of either version read")
                    .isSubsetOf(union(evaluation, sections));
        }
    }

    private static Set<String> union(ScanEvaluation e, List<String> sections) {
        Set<String> out = new java.util.TreeSet<>();
        for (RuleSet set : List.of(ACTIVE, CANDIDATE)) {
            out.addAll(set.sectionsRead(e.target().kind(), Set.copyOf(sections)));
        }
        return out;
    }
}
