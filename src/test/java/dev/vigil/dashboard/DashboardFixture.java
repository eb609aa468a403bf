package dev.vigil.dashboard;

import static dev.vigil.results.ResultFixtures.accountResult;
import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;

import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.app.Wiring;
import dev.vigil.checks.Severity;
import dev.vigil.results.ResultsClient;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The API with the dashboard on an embedded PostgreSQL, and headless Chromium to look at it:
 * account acc1 with three zones and insights of every severity, one of them dismissed, one with a
 * long subject so that tables are wide on a phone. No pipeline: {@link DashboardBrowserIT} walks
 * the whole demo. Closed in reverse order of creation.
 */
final class DashboardFixture implements AutoCloseable {

    static final Dimension DESKTOP = new Dimension(1280, 1000);

    /** An iPhone 12 to 15's width in CSS pixels, the width issue 18 was measured at. */
    static final Dimension PHONE = new Dimension(390, 844);

    final TestPostgres pg;
    final ApiServer server;
    final Browser browser;
    final String token;
    final String base;

    private DashboardFixture(TestPostgres pg, ApiServer server, Browser browser, String token) {
        this.pg = pg;
        this.server = server;
        this.browser = browser;
        this.token = token;
        this.base = server.baseUrl() + "dashboard/";
    }

    static DashboardFixture start() throws Exception {
        TestPostgres pg = TestPostgres.start();
        pg.accountTarget("acc1");
        for (String z : List.of("zone1", "zone2", "zone3")) {
            pg.zoneTarget("acc1", z);
        }
        ApiServer server =
                Wiring.api(
                        ApiServer.Options.of(ApiSettings.defaults().withPort(0), pg.dataSource())
                                .withExtras(List.of(DashboardRoutes::register)),
                        null);
        ApiTokens tokens = ApiTokens.create(pg.dataSource());
        Instant at = Instant.now().minusSeconds(90);
        try (ResultsClient c =
                ResultsClient.create(
                        server.baseUrl(), tokens.issueService("worker"), Duration.ofSeconds(30))) {
            c.submit(
                    zoneResult(
                            "acc1",
                            "zone1",
                            at,
                            List.of("tls.ssl_flexible", "zone.development_mode_on"),
                            List.of(),
                            List.of(
                                    finding("tls.ssl_flexible", "zone1", Severity.CRITICAL),
                                    finding("zone.development_mode_on", "zone1", Severity.LOW))));
            c.submit(
                    zoneResult(
                            "acc1",
                            "zone2",
                            at,
                            List.of("zone.hotlink_protection_disabled", "bots.fight_mode_disabled"),
                            List.of(),
                            List.of(
                                    finding(
                                            "zone.hotlink_protection_disabled",
                                            "static-assets.cdn.zone2.example/images/a-long-path",
                                            Severity.MODERATE),
                                    finding("bots.fight_mode_disabled", "zone2", Severity.HIGH))));
            c.submit(
                    zoneResult(
                            "acc1",
                            "zone3",
                            at,
                            List.of("zone.email_obfuscation_disabled"),
                            List.of(),
                            List.of(
                                    finding(
                                            "zone.email_obfuscation_disabled",
                                            "zone3",
                                            Severity.LOW))));
            c.submit(
                    accountResult(
                            "acc1",
                            at,
                            List.of("account.twofactor_not_enforced"),
                            List.of(
                                    finding(
                                            "account.twofactor_not_enforced",
                                            "acc1",
                                            Severity.HIGH))));
        }
        pg.execute(
                "update insights set dismissed = true"
                        + " where check_id = 'zone.hotlink_protection_disabled'");
        String token = tokens.issueForAccounts("acc1-user", List.of("acc1"));
        Browser browser = Browser.start(Files.createTempDirectory("vigil-downloads-"));
        return new DashboardFixture(pg, server, browser, token);
    }

    /** The sign-in page of a fresh document, no token in the tab. */
    void signedOut() {
        browser.driver.get(base);
        browser.driver.executeScript("sessionStorage.clear()");
        browser.driver.get(base + "#/signin");
        browser.driver.navigate().refresh();
        browser.find("#token");
    }

    /** Signs in afresh through the form, from the keyboard. */
    void signIn() {
        signedOut();
        WebElement input = browser.find("#token");
        input.sendKeys(token);
        input.sendKeys(Keys.ENTER);
        browser.wait.until(d -> d.findElement(By.id("nav")).isDisplayed());
    }

    /** Opens {@code hash} of account acc1 in a fresh document; waits for {@code ready} to show. */
    void open(String hash, String ready) {
        browser.driver.get(base + "#/a/acc1" + hash);
        browser.driver.navigate().refresh();
        browser.find(ready);
    }

    void size(Dimension d) {
        browser.driver.manage().window().setSize(d);
    }

    /** The element that has focus, described as tag#id "text" for assertion messages. */
    String focused() {
        return String.valueOf(
                browser.driver.executeScript(
                        "const a = document.activeElement;"
                                + " return a.tagName.toLowerCase() + (a.id ? '#' + a.id : '')"
                                + " + ' \"' + (a.innerText || '').trim().slice(0, 40) + '\"';"));
    }

    @Override
    public void close() throws Exception {
        try (pg;
                server;
                browser) {
            // closed in reverse order of declaration: browser, server, database
        }
    }
}
