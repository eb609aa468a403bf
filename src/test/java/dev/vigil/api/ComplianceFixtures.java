package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.accountResult;
import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;

import java.time.Instant;
import java.util.List;

/**
 * A small fleet whose compliance numbers are worked out by hand (CIS Controls v8 mappings of the
 * shipped catalogue):
 *
 * <ul>
 *   <li>acc1 (account target, scanned): open {@code account.token_never_expires} (CIS 6.8);
 *   <li>z1: open {@code tls.ssl_flexible} and {@code tls.hsts_disabled} (both CIS 3.10);
 *   <li>z2: {@code tls.ssl_flexible} open but dismissed; open {@code api.sensitive_data_exposed}
 *       (CIS 3.3);
 *   <li>z3: {@code tls.hsts_disabled} opened, then resolved by a later scan;
 *   <li>z4: never scanned;
 *   <li>acc2/z9, another tenant: open {@code tls.ssl_flexible} and {@code
 *       account.token_never_expires}, which must count nowhere in acc1.
 * </ul>
 *
 * So for acc1: 3.10 is scanned on 3 zones, failed by z1 alone (twice, counted once), passed by z2
 * and z3; 6.8 (account checks) is scanned on 1 target and failed by it; 3.3 (an account and a zone
 * check) is scanned on 4 targets, failed by z2; 9.5 (e-mail) passes on 3 zones.
 */
final class ComplianceFixtures {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private ComplianceFixtures() {}

    /** Plants the fleet; returns a read token of acc1. */
    static String plant(ApiHarness api) throws Exception {
        api.pg.accountTarget("acc1");
        for (String z : List.of("z1", "z2", "z3", "z4")) {
            api.pg.zoneTarget("acc1", z);
        }
        api.pg.accountTarget("acc2");
        api.pg.zoneTarget("acc2", "z9");
        List<String> tls = List.of("tls.ssl_flexible", "tls.hsts_disabled");
        api.submit(
                accountResult(
                        "acc1",
                        T0,
                        List.of("account.token_never_expires"),
                        List.of(finding("account.token_never_expires", "token/t1"))));
        api.submit(
                zoneResult(
                        "acc1",
                        "z1",
                        T0,
                        tls,
                        List.of(),
                        List.of(
                                finding("tls.ssl_flexible", "z1/ssl"),
                                finding("tls.hsts_disabled", "z1/hsts"))));
        api.submit(
                zoneResult(
                        "acc1",
                        "z2",
                        T0,
                        List.of("tls.ssl_flexible", "api.sensitive_data_exposed"),
                        List.of(),
                        List.of(
                                finding("tls.ssl_flexible", "z2/ssl"),
                                finding("api.sensitive_data_exposed", "z2/api"))));
        api.submit(
                zoneResult(
                        "acc1",
                        "z3",
                        T0,
                        tls,
                        List.of(),
                        List.of(finding("tls.hsts_disabled", "z3/hsts"))));
        api.submit(zoneResult("acc1", "z3", T0.plusSeconds(60), tls, List.of(), List.of()));
        api.submit(
                accountResult(
                        "acc2",
                        T0,
                        List.of("account.token_never_expires"),
                        List.of(finding("account.token_never_expires", "token/foreign"))));
        api.submit(
                zoneResult(
                        "acc2",
                        "z9",
                        T0,
                        tls,
                        List.of(),
                        List.of(finding("tls.ssl_flexible", "z9/ssl"))));
        String writer = api.tokens.issueForAccounts("compliance-writer", List.of("acc1"));
        api.call(
                "PUT",
                "/v1/accounts/acc1/insights/" + api.insightId("acc1", "z2/ssl") + "/dismiss",
                writer,
                "{\"dismiss\": true}");
        return api.tokens.issueForAccounts("compliance-reader", List.of("acc1"), false);
    }
}
