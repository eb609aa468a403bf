package dev.vigil.dashboard;

import static dev.vigil.results.ResultFixtures.accountResult;
import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;

import dev.vigil.alerts.AlertDispatcher;
import dev.vigil.alerts.AlertMetrics;
import dev.vigil.alerts.DispatcherConfig;
import dev.vigil.alerts.HostResolver;
import dev.vigil.alerts.SecretBox;
import dev.vigil.alerts.SenderConfig;
import dev.vigil.alerts.Senders;
import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.app.Wiring;
import dev.vigil.checks.Severity;
import dev.vigil.config.Env;
import dev.vigil.results.ResultsClient;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The API with the dashboard on an embedded PostgreSQL, and headless Chromium to look at it:
 * account acc1 with three zones and insights of every severity, one of them dismissed, one with a
 * long subject so that tables are wide on a phone. No pipeline ({@link DashboardBrowserIT} walks
 * the whole demo), but the api role's alert dispatcher beside the API, as {@code Roles.api} runs
 * it, with a webhook receiver on loopback that the outbound allow-list admits ({@link #sink}).
 * Closed in reverse order of creation.
 */
final class DashboardFixture implements AutoCloseable {

    static final Dimension DESKTOP = new Dimension(1280, 1000);

    /** An iPhone 12 to 15's width in CSS pixels, the width issue 18 was measured at. */
    static final Dimension PHONE = new Dimension(390, 844);

    final TestPostgres pg;
    final ApiServer server;
    final WebhookSink sink;
    final Senders senders;
    final AlertDispatcher dispatcher;
    final Browser browser;
    final String token;

    /** A token of acc1 that reads only. */
    final String readToken;

    final String base;

    private DashboardFixture(
            TestPostgres pg,
            ApiServer server,
            WebhookSink sink,
            Senders senders,
            AlertDispatcher dispatcher,
            Browser browser,
            String token,
            String readToken) {
        this.pg = pg;
        this.server = server;
        this.sink = sink;
        this.senders = senders;
        this.dispatcher = dispatcher;
        this.browser = browser;
        this.token = token;
        this.readToken = readToken;
        this.base = server.baseUrl() + "dashboard/";
    }

    static DashboardFixture start() throws Exception {
        TestPostgres pg = TestPostgres.start();
        pg.accountTarget("acc1");
        for (String z : List.of("zone1", "zone2", "zone3")) {
            pg.zoneTarget("acc1", z);
        }
        SecretBox secrets = SecretBox.random();
        ApiServer server =
                Wiring.api(
                        ApiServer.Options.of(ApiSettings.defaults().withPort(0), pg.dataSource())
                                .withExtras(List.of(DashboardRoutes::register))
                                .withAlertSecrets(secrets),
                        null);
        WebhookSink sink = WebhookSink.start();
        Env alerting = Env.of(Map.of(SenderConfig.ALLOWED_HOSTS.name(), sink.url().getHost()));
        Senders senders =
                Senders.create(
                        SenderConfig.from(alerting), HostResolver.system(), Clock.systemUTC());
        AlertDispatcher dispatcher =
                Wiring.alerts(
                        pg.dataSource(),
                        senders,
                        DispatcherConfig.from(alerting, server.baseUrl()),
                        Optional.of(secrets),
                        AlertMetrics.on(new SimpleMeterRegistry(), pg.dataSource()));
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
        String readToken = tokens.issueForAccounts("acc1-reader", List.of("acc1"), false);
        Browser browser = Browser.start(Files.createTempDirectory("vigil-downloads-"));
        return new DashboardFixture(
                pg, server, sink, senders, dispatcher, browser, token, readToken);
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
        signIn(token);
    }

    /** Signs in afresh with {@code withToken} through the form, from the keyboard. */
    void signIn(String withToken) {
        signedOut();
        WebElement input = browser.find("#token");
        input.sendKeys(withToken);
        input.sendKeys(Keys.ENTER);
        browser.wait.until(d -> d.findElement(By.id("nav")).isDisplayed());
    }

    /** Opens {@code hash} of account acc1 in a fresh document; waits for {@code ready} to show. */
    void open(String hash, String ready) {
        browser.driver.get(base + "#/a/acc1" + hash);
        browser.driver.navigate().refresh();
        browser.find(ready);
    }

    /**
     * Adds, through the API, a webhook destination "Seeded hook" to {@link #sink} and a rule
     * "Seeded rule" sending to it with a severity filter; answers the rule's id.
     */
    long seedAlerts() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return seedAlerts(http, server.baseUrl() + "v1/accounts/acc1/alerting/");
        }
    }

    private long seedAlerts(HttpClient http, String a) throws Exception {
        JsonNode dest =
                post(
                        http,
                        a + "destinations",
                        "{\"name\": \"Seeded hook\", \"kind\": \"webhook\", \"url\": \""
                                + sink.url()
                                + "\"}");
        JsonNode rule =
                post(
                        http,
                        a + "rules",
                        "{\"name\": \"Seeded rule\", \"destination_id\": "
                                + dest.get("id").asLong()
                                + ", \"filters\": {\"severity\": [\"critical\"]}}");
        return rule.get("id").asLong();
    }

    private JsonNode post(HttpClient http, String url, String body) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException(
                    "POST " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return new ObjectMapper().readTree(r.body()).get("result");
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
                sink;
                senders;
                dispatcher;
                browser) {
            // closed in reverse order of declaration: browser, the dispatcher before its senders,
            // the receiver, the server, the database
        }
    }
}
