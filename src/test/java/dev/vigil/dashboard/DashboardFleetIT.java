package dev.vigil.dashboard;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.app.Wiring;
import dev.vigil.checks.Severity;
import dev.vigil.results.ResultsClient;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The fleet pages in headless Chromium for a token of two accounts (acc1 and acc2, a third account
 * beside them that the token does not see): the numbers shown are the API's, the list carries an
 * Account column and filter, both pages pass axe at a desktop's and a phone's width, and a token of
 * one account is not offered the fleet.
 */
class DashboardFleetIT {

    static TestPostgres pg;
    static ApiServer server;
    static Browser browser;
    static String token;
    static String oneAccountToken;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        pg = TestPostgres.start();
        for (String[] z :
                List.of(
                        new String[] {"acc1", "zone1"},
                        new String[] {"acc2", "zone2"},
                        new String[] {"acc3", "zone3"})) {
            pg.accountTarget(z[0]);
            pg.zoneTarget(z[0], z[1]);
        }
        pg.execute("update targets set next_due_at = now() + interval '1 hour'");
        pg.execute(
                "update targets set name = case account_id when 'acc1' then 'Shop'"
                        + " when 'acc2' then 'Blog' else 'Hidden' end where kind = 'account'");
        pg.execute(
                "update targets set next_due_at = now() - interval '1 hour'"
                        + " where target_id = 'zone2'");
        server =
                Wiring.api(
                        ApiServer.Options.of(ApiSettings.defaults().withPort(0), pg.dataSource())
                                .withExtras(List.of(DashboardRoutes::register)),
                        null);
        ApiTokens tokens = ApiTokens.create(pg.dataSource());
        Instant old = Instant.now().minus(Duration.ofDays(20));
        try (ResultsClient c =
                ResultsClient.create(
                        server.baseUrl(), tokens.issueService("worker"), Duration.ofSeconds(30))) {
            c.submit(
                    zoneResult(
                            "acc1",
                            "zone1",
                            old,
                            List.of("tls.ssl_flexible", "zone.development_mode_on"),
                            List.of(),
                            List.of(
                                    finding("tls.ssl_flexible", "zone1", Severity.CRITICAL),
                                    finding("zone.development_mode_on", "zone1", Severity.LOW))));
            c.submit(
                    zoneResult(
                            "acc2",
                            "zone2",
                            old,
                            List.of("tls.ssl_flexible", "bots.fight_mode_disabled"),
                            List.of(),
                            List.of(
                                    finding("tls.ssl_flexible", "zone2", Severity.CRITICAL),
                                    finding("bots.fight_mode_disabled", "zone2", Severity.HIGH))));
            c.submit(
                    zoneResult(
                            "acc3",
                            "zone3",
                            old,
                            List.of("tls.ssl_flexible"),
                            List.of(),
                            List.of(finding("tls.ssl_flexible", "zone3", Severity.CRITICAL))));
        }
        token = tokens.issueForAccounts("fleet-user", List.of("acc1", "acc2"));
        oneAccountToken = tokens.issueForAccounts("acc1-user", List.of("acc1"));
        browser = Browser.start(Files.createTempDirectory("vigil-downloads-"));
        base = server.baseUrl() + "dashboard/";
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @AfterEach
    void desktopAgain() {
        browser.driver.manage().window().setSize(DashboardFixture.DESKTOP);
    }

    static void signIn(String withToken) {
        browser.driver.get(base);
        browser.driver.executeScript("sessionStorage.clear()");
        browser.driver.get(base + "#/signin");
        browser.driver.navigate().refresh();
        WebElement input = browser.find("#token");
        input.sendKeys(withToken);
        input.sendKeys(Keys.ENTER);
        browser.wait.until(d -> d.findElement(By.id("nav")).isDisplayed());
    }

    static void open(String hash, String ready) {
        browser.driver.get(base + hash);
        browser.driver.navigate().refresh();
        browser.find(ready);
    }

    static JsonNode api(String path) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                                        .header("Authorization", "Bearer " + token)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }

    static String text(String css) {
        return browser.find(css).getText().strip();
    }

    @Test
    void theFleetOverviewShowsTheApisNumbers() throws Exception {
        signIn(token);
        browser.find("#nav-fleet").click();
        browser.find("#top-accounts tbody tr");
        JsonNode s = api("v1/fleet/summary?top=10").get("result");
        JsonNode bySev = s.get("counts").get("open_by_severity");
        long open = 0;
        for (JsonNode n : bySev) {
            open += n.asLong();
        }

        assertThat(text("#fleet-open")).isEqualTo(Long.toString(open)).isEqualTo("4");
        assertThat(text("#fleet-critical")).isEqualTo(bySev.get("critical").asString());
        assertThat(text("#fleet-sla")).isEqualTo(s.get("sla_breaches").asString()).isEqualTo("2");
        assertThat(text("#fleet-overdue")).isEqualTo(s.get("overdue_targets").asString());
        List<WebElement> accounts =
                browser.driver.findElements(By.cssSelector("#top-accounts tbody tr"));
        assertThat(accounts).hasSize(s.get("top_accounts").size()).hasSize(2);
        assertThat(browser.driver.findElement(By.id("main")).getText())
                .doesNotContain("acc3")
                .doesNotContain("Hidden");
        browser.find("svg.chart text");
        browser.screenshot("fleet");
    }

    @Test
    void theFleetListShowsEveryAccountWithAnAccountColumnAndFilter() throws Exception {
        signIn(token);
        open("#/fleet/insights", "#fleet-insights tbody tr");

        List<WebElement> rows =
                browser.driver.findElements(By.cssSelector("#fleet-insights tbody tr"));
        long total = api("v1/fleet/insights").get("result_info").get("total_count").asLong();
        assertThat(rows).hasSize((int) total).hasSize(4);
        assertThat(text("#match-count")).startsWith(total + " matching");

        new Select(browser.find("select[name=account_id]")).selectByValue("acc2");
        browser.find("#apply").click();
        browser.awaitText("#match-count", "2 matching");
        List<String> accounts =
                browser
                        .driver
                        .findElements(By.cssSelector("#fleet-insights tbody td.account"))
                        .stream()
                        .map(WebElement::getText)
                        .distinct()
                        .toList();
        assertThat(accounts).containsExactly("Blog (acc2)");
        assertThat(
                        api("v1/fleet/insights?account_id=acc2")
                                .get("result_info")
                                .get("total_count")
                                .asLong())
                .isEqualTo(2);
    }

    @Test
    void aTokenOfOneAccountIsNotOfferedTheFleet() {
        signIn(oneAccountToken);
        browser.find("#zones tbody tr");

        assertThat(browser.driver.findElement(By.id("nav-fleet")).isDisplayed()).isFalse();
    }

    void fleetPagesMeetWcag21Aa(Dimension size) {
        browser.driver.manage().window().setSize(size);
        String at = " at " + size.getWidth() + " px";
        signIn(token);
        open("#/fleet", "#top-accounts tbody tr");
        browser.find("svg.chart text");
        Axe.assertNoViolations(browser.driver, "the fleet overview" + at);
        open("#/fleet/insights", "#fleet-insights tbody tr");
        Axe.assertNoViolations(browser.driver, "the fleet insights list" + at);
    }

    @Test
    void theFleetPagesMeetWcag21AaAtADesktopsWidth() {
        fleetPagesMeetWcag21Aa(DashboardFixture.DESKTOP);
    }

    @Test
    void theFleetPagesMeetWcag21AaAtAPhonesWidth() {
        fleetPagesMeetWcag21Aa(DashboardFixture.PHONE);
    }
}
