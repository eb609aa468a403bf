package dev.vigil.dashboard;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.app.Wiring;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.ObjectMapper;

/**
 * Single pages of the dashboard in headless Chromium, against the API on an embedded PostgreSQL
 * with a few stored results (no pipeline: {@link DashboardBrowserIT} walks the whole demo).
 */
class DashboardPagesIT {

    static final String RFC3339 = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z";

    static TestPostgres pg;
    static ApiServer server;
    static Browser browser;
    static String token;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        pg = TestPostgres.start();
        pg.accountTarget("acc1");
        pg.zoneTarget("acc1", "zone1");
        server =
                Wiring.api(
                        ApiServer.Options.of(ApiSettings.defaults().withPort(0), pg.dataSource())
                                .withExtras(List.of(DashboardRoutes::register)),
                        null);
        ApiTokens tokens = ApiTokens.create(pg.dataSource());
        try (ResultsClient c =
                ResultsClient.create(
                        server.baseUrl(), tokens.issueService("worker"), Duration.ofSeconds(30))) {
            c.submit(
                    zoneResult(
                            "acc1",
                            "zone1",
                            Instant.now().minusSeconds(90),
                            List.of("tls.ssl_flexible", "zone.development_mode_on"),
                            List.of(),
                            List.of(
                                    finding("tls.ssl_flexible", "zone1"),
                                    finding("zone.development_mode_on", "zone1"))));
        }
        pg.execute(
                "update insights set dismissed = true where check_id = 'zone.development_mode_on'");
        token = tokens.issueForAccounts("acc1-user", List.of("acc1"));
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

    /** Signs in afresh through the form, from the keyboard. */
    static void signIn() {
        browser.driver.get(base);
        browser.driver.executeScript("sessionStorage.clear()");
        browser.driver.get(base + "#/signin");
        browser.driver.navigate().refresh();
        WebElement input = browser.find("#token");
        input.sendKeys(token);
        input.sendKeys(Keys.ENTER);
        browser.wait.until(d -> d.findElement(By.id("nav")).isDisplayed());
    }

    /** What {@code expression} (over dom.js's exports, as {@code m}) evaluates to in the page. */
    static Object dom(String expression) {
        browser.driver.get(base + "#/signin");
        return browser.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + " import('/dashboard/dom.js').then(m => done(String("
                        + expression
                        + ")), e => done('threw ' + e));");
    }

    @Test
    void signedOutTheNavigationIsNotShown() {
        browser.driver.get(base);
        browser.driver.executeScript("sessionStorage.clear()");
        browser.driver.get(base + "#/signin");
        browser.driver.navigate().refresh();
        browser.find("#token");

        WebElement nav = browser.driver.findElement(By.id("nav"));
        assertThat(nav.getAttribute("hidden")).isNotNull();
        assertThat(nav.isDisplayed()).as("nav shown on the sign-in page").isFalse();
        assertThat(browser.driver.findElement(By.id("signout")).isDisplayed()).isFalse();
    }

    @Test
    void theInsightsTableNamesZonesByName() {
        signIn();
        browser.driver.get(base + "#/a/acc1/insights");
        browser.driver.navigate().refresh();

        String zone = browser.awaitText("#insights tbody td.zone", "zone1.example");
        assertThat(zone).startsWith("zone1.example");
    }

    /** total_count of the API's insight list of acc1 with {@code query}, as the token sees it. */
    static long apiTotal(String query) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        server.baseUrl()
                                                                + "v1/accounts/acc1/insights"
                                                                + query))
                                        .header("Authorization", "Bearer " + token)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new ObjectMapper()
                .readTree(r.body())
                .path("result_info")
                .path("total_count")
                .asLong();
    }

    /**
     * One default for dismissed insights (issue 18, item 10): the API lists them unless asked
     * ({@code dismissed=false}), and changing that would break its clients; the dashboard's list
     * now does the same, marks them, and hides them on request.
     */
    @Test
    void theInsightsListIncludesDismissedInsightsAsTheApiDoesUntilAskedToHideThem()
            throws Exception {
        signIn();
        browser.driver.get(base + "#/a/acc1/insights");
        browser.driver.navigate().refresh();

        assertThat(apiTotal("")).isEqualTo(2);
        browser.awaitText("#match-count", "2 matching");
        browser.awaitText("#insights tbody tr.dismissed", "dismissed");
        new Select(browser.find("select[name=dismissed]")).selectByVisibleText("Hide dismissed");
        browser.find("#apply").click();

        assertThat(apiTotal("?dismissed=false")).isEqualTo(1);
        browser.awaitText("#match-count", "1 matching");
        assertThat(browser.driver.getCurrentUrl()).contains("dismissed=false");
        assertThat(browser.driver.findElements(By.cssSelector("#insights tbody tr.dismissed")))
                .isEmpty();
    }

    @Test
    void theOverviewsCountLeavesDismissedOutAndLinksToTheListThatDoesToo() {
        signIn();
        browser.driver.get(base + "#/a/acc1");
        browser.driver.navigate().refresh();

        assertThat(browser.awaitText("#open-total", "1")).isEqualTo("1");
        browser.find("a.stat:has(#open-total)").click();
        browser.awaitText("#match-count", "1 matching");
        assertThat(browser.driver.getCurrentUrl()).contains("dismissed=false");
    }

    @Test
    void timesAreShownAsRfc3339AndNeverAsNaN() {
        assertThat(dom("m.when('2026-12-03T09:15:00.123456Z')")).isEqualTo("2026-12-03T09:15:00Z");
        assertThat(dom("m.ago('+12000-01-01T00:00:00Z')")).asString().doesNotContain("NaN");
        assertThat(dom("m.when('+12000-01-01T00:00:00Z')")).asString().doesNotContain("threw");
        assertThat(dom("m.ago(new Date(Date.now() + 600000).toISOString())"))
                .isEqualTo("in 10 min");

        signIn();
        browser.driver.get(base + "#/a/acc1");
        browser.driver.navigate().refresh();
        browser.awaitText("#zones tbody tr", "ago");
        WebElement time = browser.find("#zones tbody tr time");
        assertThat(time.getAttribute("datetime")).matches(RFC3339);
        assertThat(time.getAttribute("title")).matches(RFC3339);
    }
}
