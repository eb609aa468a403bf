package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The compliance routes count passing and failing targets as {@link ComplianceFixtures} plans. */
class ComplianceIT {

    static ApiHarness api;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        api = ApiHarness.start();
        token = ComplianceFixtures.plant(api);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    private static JsonNode control(String scope, String framework, String id) throws Exception {
        for (JsonNode c : api.get(scope + "/compliance/" + framework, token).get("result")) {
            if (c.get("control").asString().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no control " + id + " in " + scope + " " + framework);
    }

    private static String counts(JsonNode c) {
        return c.get("status").asString()
                + " scanned="
                + c.get("targets_scanned").asLong()
                + " passing="
                + c.get("passing").asLong()
                + " failing="
                + c.get("failing").asLong();
    }

    @Test
    void aTargetFailingTwoChecksOfAControlCountsOnceAndDismissedOrResolvedOnesPass()
            throws Exception {
        JsonNode c = control("/v1/accounts/acc1", "cis_v8", "3.10");
        assertThat(counts(c)).isEqualTo("fail scanned=3 passing=2 failing=1");
        JsonNode flexible = null;
        for (JsonNode k : c.get("checks")) {
            if (k.get("id").asString().equals("tls.ssl_flexible")) {
                flexible = k;
            }
        }
        assertThat(flexible).isNotNull();
        assertThat(flexible.get("failing").asLong()).isEqualTo(1);
        assertThat(flexible.get("applies_to").asString()).isEqualTo("zone");
    }

    @Test
    void accountChecksCountTheAccountTargetAndMixedControlsCountBothKinds() throws Exception {
        assertThat(counts(control("/v1/accounts/acc1", "cis_v8", "6.8")))
                .isEqualTo("fail scanned=1 passing=0 failing=1");
        assertThat(counts(control("/v1/accounts/acc1", "cis_v8", "3.3")))
                .isEqualTo("fail scanned=4 passing=3 failing=1");
        assertThat(counts(control("/v1/accounts/acc1", "cis_v8", "9.5")))
                .isEqualTo("pass scanned=3 passing=3 failing=0");
    }

    @Test
    void theZoneMirrorCountsTheZoneAlone() throws Exception {
        assertThat(counts(control("/v1/zones/z1", "cis_v8", "3.10")))
                .isEqualTo("fail scanned=1 passing=0 failing=1");
        assertThat(counts(control("/v1/zones/z1", "cis_v8", "6.8")))
                .isEqualTo("not_scanned scanned=0 passing=0 failing=0");
        assertThat(counts(control("/v1/zones/z4", "cis_v8", "3.10")))
                .isEqualTo("not_scanned scanned=0 passing=0 failing=0");
    }

    @Test
    void theFrameworkSummaryCountsDistinctTargetsAndControls() throws Exception {
        JsonNode all = api.get("/v1/accounts/acc1/compliance", token);
        assertThat(all.get("result_info").get("count").asInt()).isEqualTo(3);
        JsonNode cis = all.get("result").get(0);
        assertThat(cis.get("id").asString()).isEqualTo("cis_v8");
        int controls = catalogueControls("cis_v8").size();
        assertThat(cis.get("controls").asInt()).isEqualTo(controls);
        // acc1, z1 and z2 fail a control; z3 passes all; z4 was never scanned.
        assertThat(cis.get("targets_scanned").asLong()).isEqualTo(4);
        assertThat(cis.get("targets_failing").asLong()).isEqualTo(3);
        assertThat(cis.get("targets_passing").asLong()).isEqualTo(1);
        assertThat(cis.get("controls_failing").asLong()).isEqualTo(3); // 3.3, 3.10, 6.8
        assertThat(cis.get("controls_passing").asLong()).isEqualTo(controls - 3);
        JsonNode one = api.get("/v1/accounts/acc1/compliance/cis_v8", token);
        assertThat(one.get("result_info")).isEqualTo(cis);
        assertThat(one.get("result")).hasSize(controls);
    }

    @Test
    void controlsAreTheCataloguesInNaturalOrder() throws Exception {
        Set<String> listed = new TreeSet<>();
        String previous = null;
        for (JsonNode c : api.get("/v1/accounts/acc1/compliance/cis_v8", token).get("result")) {
            String id = c.get("control").asString();
            listed.add(id);
            if (previous != null && previous.equals("4.1")) {
                assertThat(id).isNotEqualTo("13.10");
            }
            previous = id;
        }
        assertThat(listed).isEqualTo(catalogueControls("cis_v8"));
        assertThat(
                        api.get("/v1/accounts/acc1/compliance/cis_v8", token)
                                .get("result")
                                .get(0)
                                .get("control")
                                .asString())
                .isEqualTo("1.1");
    }

    @Test
    void anUnknownFrameworkIsA404Problem() throws Exception {
        HttpResponse<String> r =
                api.send("GET", "/v1/accounts/acc1/compliance/iso_27001", token, null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/problem+json");
        assertThat(r.body()).contains("no compliance framework 'iso_27001'", "cis_v8");
    }

    @Test
    void anotherTenantsAccountIsRefused() throws Exception {
        HttpResponse<String> r = api.send("GET", "/v1/accounts/acc2/compliance", token, null);
        assertThat(r.statusCode()).isIn(403, 404);
        HttpResponse<String> z = api.send("GET", "/v1/zones/z9/compliance/cis_v8", token, null);
        assertThat(z.statusCode()).isIn(403, 404);
    }

    private static Set<String> catalogueControls(String framework) throws Exception {
        return catalogueControlsOf(api, token, framework);
    }

    /** The controls of {@code framework} as {@code GET /v1/checks} maps them. */
    static Set<String> catalogueControlsOf(ApiHarness api, String token, String framework)
            throws Exception {
        Set<String> out = new TreeSet<>();
        for (JsonNode c : api.get("/v1/checks", token).get("result")) {
            JsonNode ids = c.get("compliance").get(framework);
            if (ids != null) {
                ids.forEach(id -> out.add(id.asString()));
            }
        }
        return out;
    }
}
