package dev.vigil.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Compliance page (issue 21) in headless Chromium: the numbers it shows are the API's, its
 * framework picker and control links work, its report downloads, and it meets WCAG 2.1 A/AA at a
 * desktop's and a phone's width.
 */
class DashboardComplianceIT {

    static DashboardFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = DashboardFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @AfterEach
    void desktopAgain() {
        f.size(DashboardFixture.DESKTOP);
    }

    /** GET {@code path} of the API with the fixture's token; the JSON body. */
    static JsonNode api(String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(URI.create(f.server.baseUrl() + path))
                                    .header("Authorization", "Bearer " + f.token)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
            return new ObjectMapper().readTree(r.body());
        }
    }

    /** Each control of the API's answer as "control status passing failing". */
    static List<String> expected(String framework) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode c : api("v1/accounts/acc1/compliance/" + framework).get("result")) {
            out.add(
                    c.get("control").asString()
                            + " "
                            + c.get("status").asString()
                            + " "
                            + c.get("passing").asLong()
                            + " "
                            + c.get("failing").asLong());
        }
        return out;
    }

    /** Each row of the page's table in the same form. */
    static List<String> shown() {
        List<String> out = new ArrayList<>();
        for (WebElement row : f.browser.driver.findElements(By.cssSelector("#controls tbody tr"))) {
            String status = row.findElement(By.cssSelector(".tag")).getText();
            out.add(
                    row.getAttribute("data-control")
                            + " "
                            + switch (status) {
                                case "Failing" -> "fail";
                                case "Passing" -> "pass";
                                default -> "not_scanned";
                            }
                            + " "
                            + row.findElement(By.cssSelector(".passing")).getText()
                            + " "
                            + row.findElement(By.cssSelector(".failing")).getText());
        }
        return out;
    }

    @Test
    void theControlsAndTheSummaryShownAreTheApis() throws Exception {
        f.signIn();
        f.browser.find("#nav-compliance").click();
        f.browser.find("#controls tbody tr");

        assertThat(f.browser.find("#nav-compliance").getAttribute("aria-current"))
                .isEqualTo("page");
        List<String> expected = expected("cis_v8");
        assertThat(expected).contains("3.10 fail 2 1", "6.3 fail 0 1", "9.5 pass 3 0");
        assertThat(shown()).isEqualTo(expected);
        JsonNode summary = api("v1/accounts/acc1/compliance/cis_v8").get("result_info");
        assertThat(f.browser.find("#sum-targets-failing .card-value").getText())
                .isEqualTo(summary.get("targets_failing").asString());
        assertThat(f.browser.find("#sum-targets-passing .card-value").getText())
                .isEqualTo(summary.get("targets_passing").asString());
        assertThat(f.browser.find("#sum-controls-failing .card-value").getText())
                .isEqualTo(summary.get("controls_failing").asString());
    }

    @Test
    void theFrameworkPickerShowsAnotherFrameworksControls() throws Exception {
        f.signIn();
        f.open("/compliance", "#controls tbody tr");
        new Select(f.browser.find("#framework")).selectByValue("nist_800_53");
        f.browser.wait.until(d -> d.getCurrentUrl().endsWith("framework=nist_800_53"));
        f.browser.awaitText("#h-controls", "NIST SP 800-53");

        assertThat(shown()).isEqualTo(expected("nist_800_53"));
    }

    @Test
    void aControlLinksToTheInsightsOfItsChecks() throws Exception {
        f.signIn();
        f.open("/compliance", "#controls tbody tr");
        f.browser.find("#controls tbody tr[data-control='3.10'] a.control-insights").click();
        f.browser.find("#insights tbody tr");

        long total =
                api("v1/accounts/acc1/insights?compliance=cis_v8:3.10&dismissed=false")
                        .get("result_info")
                        .get("total_count")
                        .asLong();
        assertThat(total).isEqualTo(1);
        f.browser.awaitText("#match-count", total + " matching");
        assertThat(f.browser.find("input[name=compliance]").getAttribute("value"))
                .isEqualTo("cis_v8:3.10");
    }

    @Test
    void theReportDownloadsAsCsv() {
        f.signIn();
        f.open("/compliance", "#controls tbody tr");
        f.browser.find("#compliance-export-csv").click();

        f.browser.awaitText("#notice", "compliance-cis_v8-acc1.csv");
    }

    @Test
    void thePageMeetsWcag21AaAtADesktopsAndAPhonesWidth() throws Exception {
        f.signIn();
        f.open("/compliance", "#controls tbody tr");
        Axe.assertNoViolations(f.browser.driver, "the compliance page at 1280 px");
        f.browser.screenshot("compliance");

        f.size(DashboardFixture.PHONE);
        f.open("/compliance?framework=pci_dss_4", "#controls tbody tr");
        Axe.assertNoViolations(f.browser.driver, "the compliance page at 390 px");
    }
}
