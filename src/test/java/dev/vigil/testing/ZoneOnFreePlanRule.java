package dev.vigil.testing;

/**
 * The house rule the rule tests write, push, reload and roll out: {@code custom.zone_on_free_plan},
 * which fails a zone on the free plan. One text, so that a change to the rule file format is made
 * once; the variants a test needs (a broken rule, another version of the same check) are built from
 * it here.
 */
public final class ZoneOnFreePlanRule {

    /** The check's id, as insights, rule sets and rollout diffs name it. */
    public static final String ID = "custom.zone_on_free_plan";

    /** The CEL message of {@link #TEXT}. */
    private static final String MESSAGE =
            "'zone ' + string(doc.zone.name) + ' is on the free plan'";

    /** The rule file: a zone with a plan passes unless the plan is {@code free}. */
    public static final String TEXT = text("doc.zone.plan != 'free'", MESSAGE);

    private ZoneOnFreePlanRule() {}

    /**
     * The rule with an assertion that does not compile (a string plus a number): loading it fails
     * naming the file and the field {@code assert}.
     */
    public static String broken() {
        return text("doc.zone.plan + 1", MESSAGE);
    }

    /**
     * The same check with another message, {@code celMessage} (a CEL expression of type string):
     * another text, and so another rule-set version, of the same rule.
     */
    public static String withMessage(String celMessage) {
        return text("doc.zone.plan != 'free'", celMessage);
    }

    private static String text(String assertion, String message) {
        return """
                id: %s
                applies_to: zone
                title: 'Zone on the free plan'
                description: 'A house rule: production zones must not be on the free plan.'
                issue_type: compliance_violation
                severity: low
                risk: 'Free-plan zones lack the support and features the house policy requires.'
                remediation:
                  steps: ['Move the zone to a paid plan.']
                  link: https://developers.cloudflare.com/fundamentals/subscriptions-and-billing/
                reads: [zone]
                applies: >-
                  has(doc.zone.plan)
                assert: >-
                  %s
                message: >-
                  %s
                """
                .formatted(ID, assertion, message);
    }
}
