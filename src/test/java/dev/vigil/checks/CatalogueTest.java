package dev.vigil.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogueTest {

    /** Every id CHECKS.md requires the catalogue to ship. */
    static final List<String> REQUIRED =
            List.of(
                    "dns.a_record_dangling",
                    "dns.aaaa_record_dangling",
                    "dns.cname_record_dangling",
                    "dns.a_record_unproxied",
                    "dns.aaaa_record_unproxied",
                    "dns.cname_record_unproxied",
                    "dns.private_ip_in_public_dns",
                    "dns.wildcard_record",
                    "dns.dnssec_disabled",
                    "dns.caa_missing",
                    "email.spf_missing",
                    "email.spf_permissive",
                    "email.dmarc_missing",
                    "email.dmarc_policy_none",
                    "email.dkim_missing",
                    "tls.ssl_off",
                    "tls.ssl_flexible",
                    "tls.ssl_not_strict",
                    "tls.min_version_below_1_2",
                    "tls.tls_1_3_disabled",
                    "tls.always_use_https_disabled",
                    "tls.automatic_https_rewrites_disabled",
                    "tls.hsts_disabled",
                    "tls.hsts_weak",
                    "tls.universal_ssl_disabled",
                    "waf.managed_rules_not_deployed",
                    "waf.rate_limiting_missing",
                    "waf.no_blocking_custom_rules",
                    "waf.security_level_off",
                    "waf.under_attack_left_on",
                    "waf.browser_check_disabled",
                    "zone.development_mode_on",
                    "zone.email_obfuscation_disabled",
                    "zone.hotlink_protection_disabled",
                    "bots.fight_mode_disabled",
                    "bots.js_detection_disabled",
                    "client.page_shield_disabled",
                    "api.unauthenticated_endpoint",
                    "api.mixed_auth_endpoint",
                    "api.schema_validation_missing",
                    "api.sensitive_data_exposed",
                    "account.member_without_mfa",
                    "account.twofactor_not_enforced",
                    "account.too_many_super_admins",
                    "account.token_no_ip_restriction",
                    "account.token_never_expires",
                    "account.token_unused",
                    "access.policy_allows_everyone",
                    "access.tunnel_unprotected",
                    "access.rdp_exposed");

    @Test
    void catalogueShipsEveryRequiredCheck() {
        RuleSet set = RuleSets.catalogue();
        assertThat(set.checks()).extracting(CheckDefinition::id).containsAll(REQUIRED);
    }

    @Test
    void everyCheckCarriesRemediationAndRisk() {
        for (CheckDefinition c : RuleSets.catalogue().checks()) {
            assertThat(c.remediationSteps()).as(c.id()).isNotEmpty();
            assertThat(c.remediationLink()).as(c.id()).startsWith("https://");
            assertThat(c.risk()).as(c.id()).isNotBlank();
        }
    }

    @Test
    void catalogueVersionIsStable() {
        assertThat(RuleSets.catalogue().version())
                .hasSize(12)
                .isEqualTo(RuleSets.load(null).version());
    }
}
