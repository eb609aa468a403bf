package dev.vigil.checks;

/** Rule-file texts for engine tests. */
final class RuleFiles {

    private RuleFiles() {}

    static String zoneSetting(String id, String assertion) {
        return """
                id: %s
                applies_to: zone
                title: Test check
                description: A check for tests.
                issue_type: insecure_configuration
                severity: high
                risk: Something bad.
                remediation:
                  steps: [Fix it.]
                  link: https://developers.cloudflare.com/ssl/
                reads: [settings]
                assert: %s
                message: "'ssl is ' + string(doc.settings.ssl)"
                """
                .formatted(id, assertion);
    }

    static String perRecord(String id) {
        return """
                id: %s
                applies_to: zone
                title: Unproxied A
                description: Per-record test check.
                issue_type: exposed_infrastructure
                severity: moderate
                risk: Origin exposed.
                remediation:
                  steps: [Proxy it.]
                  link: https://developers.cloudflare.com/dns/proxy-status/
                reads: [dns_records]
                on_missing:
                  dns_records: error
                for_each: records_by_type.?A.orValue([])
                resource_key: item.id
                assert: item.?proxied.orValue(false) == true
                message: "'record ' + item.name + ' is not proxied'"
                """
                .formatted(id);
    }
}
