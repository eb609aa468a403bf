package dev.vigil.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.app.LocalPipeline;
import dev.vigil.config.Env;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.tokens.ApiTokens;
import dev.vigil.worker.WorkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in headless Chromium against the demo-shaped system (the whole pipeline on a small
 * synthetic fleet): each step does what a user does and asserts what the page shows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    static LocalPipeline pipeline;
    static Browser browser;
    static Jdbi db;
    static Path downloads;
    static String account;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Env defaults = Env.of(Map.of());
        downloads = Files.createTempDirectory("vigil-downloads-");
        browser = Browser.start(downloads);
        pipeline =
                LocalPipeline.start(
                        new LocalPipeline.Options(
                                11L,
                                4,
                                40,
                                PlanIntervals.uniform(Duration.ofSeconds(5)),
                                0,
                                ConfigService.LatencyModel.none(),
                                null,
                                WorkerConfig.from(defaults),
                                SchedulerConfig.from(defaults)));
        db = Jdbi.create(pipeline.database());
        int targets = pipeline.fleet().targets().size();
        await().atMost(Duration.ofMinutes(2))
                .until(
                        () ->
                                count(
                                                "select count(*) from targets where last_result_at is not null")
                                        == targets);
        account =
                db.withHandle(
                        h ->
                                h.createQuery(
                                                "select account_id from insights where status ="
                                                        + " 'open' and severity = 'critical'"
                                                        + " group by 1 order by count(*) desc,"
                                                        + " 1 limit 1")
                                        .mapTo(String.class)
                                        .one());
        base = pipeline.apiUrl() + "dashboard/";
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    static long count(String sql) {
        return db.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    static long openUndismissed(String extra) {
        return count(
                "select count(*) from insights where account_id = '"
                        + account
                        + "' and status = 'open' and not dismissed"
                        + extra);
    }

    static void signIn(String token) {
        browser.driver.get(base);
        browser.driver.executeScript("sessionStorage.clear()");
        browser.driver.get(base + "#/signin");
        browser.driver.navigate().refresh(); // a fresh document: no state of the last session
        WebElement input = browser.find("#token");
        input.sendKeys(token);
        input.sendKeys(org.openqa.selenium.Keys.ENTER); // keyboard only
        browser.find("#nav-overview");
        browser.wait.until(d -> d.findElement(By.id("nav")).isDisplayed());
    }

    /** Opens a page in a fresh document, so no element of the previous page is found. */
    static void go(String hash) {
        browser.driver.get(base + "#/a/" + account + hash);
        browser.driver.navigate().refresh();
    }

    @Test
    @Order(1)
    void signInListsTheTokensAccountsAndTheOverviewShowsTheAccount() throws Exception {
        signIn(pipeline.accountToken());
        go("");

        List<String> expected =
                pipeline.fleet().targets().stream()
                        .map(Target::accountId)
                        .distinct()
                        .sorted()
                        .toList();
        browser.awaitText("#open-total", Long.toString(openUndismissed("")));
        List<String> options =
                new Select(browser.find("#account"))
                        .getOptions().stream().map(o -> o.getAttribute("value")).toList();
        assertThat(options).containsExactlyElementsOf(expected);
        assertThat(browser.find("#open-critical").getText())
                .isEqualTo(Long.toString(openUndismissed(" and severity = 'critical'")));
        assertThat(browser.find("svg.chart").getAttribute("aria-label"))
                .contains(
                        "now "
                                + count(
                                        "select count(*) from insights where account_id = '"
                                                + account
                                                + "' and status = 'open'"));
        List<WebElement> zones = browser.driver.findElements(By.cssSelector("#zones tbody tr"));
        assertThat(zones).isNotEmpty();
        assertThat(zones.getFirst().getText()).contains("ago");
        assertThat(browser.find("#overdue").getText())
                .endsWith(
                        " of "
                                + count(
                                        "select count(*) from targets where account_id = '"
                                                + account
                                                + "'"));
        Axe.assertNoViolations(browser.driver, "the demo's overview");
        browser.driver.manage().window().setSize(new Dimension(1280, 1400));
        browser.screenshot("overview");
        browser.driver.manage().window().setSize(new Dimension(1280, 1000));
    }

    @Test
    @Order(2)
    void filteringBySeverityShowsTheMatchingCountAndOnlyThoseRows() {
        go("/insights"); // as the API's list: open insights, dismissed ones included
        browser.awaitText(
                "#match-count",
                count(
                                "select count(*) from insights where account_id = '"
                                        + account
                                        + "' and status = 'open'")
                        + " matching");
        Axe.assertNoViolations(browser.driver, "the demo's insights list");

        new Select(browser.find("select[name=severity]")).selectByValue("critical");
        browser.find("#apply").click();

        long critical = openUndismissed(" and severity = 'critical'");
        browser.awaitText("#match-count", critical + " matching");
        List<String> badges =
                browser.driver.findElements(By.cssSelector("#insights tbody .sev")).stream()
                        .map(WebElement::getText)
                        .distinct()
                        .toList();
        assertThat(badges).containsExactly("CRITICAL");
        assertThat(browser.driver.getCurrentUrl()).contains("severity=critical");
    }

    @Test
    @Order(3)
    void anInsightPageSaysWhatIsWrongWhyAndHowToFixIt() throws Exception {
        go("/insights?severity=critical");
        WebElement link = browser.find("#insights tbody a.insight-link");
        String title = link.getText();
        link.click();

        browser.awaitText("#insight-title", title);
        assertThat(browser.find("#insight-risk").getText()).isNotBlank();
        assertThat(browser.driver.findElements(By.cssSelector("#insight-fix li"))).isNotEmpty();
        assertThat(browser.find("#insight-subject").getText()).isNotBlank();
        browser.awaitText("#history", "Opened");
        Axe.assertNoViolations(browser.driver, "an insight of the demo");
        browser.screenshot("insight");
    }

    @Test
    @Order(4)
    void classifyingWithRationaleAndExpiryIsShownAndAudited() {
        long id = firstCriticalInsight();
        go("/insights/" + id);
        new Select(browser.find("#classification")).selectByValue("accept_risk");
        browser.find("#rationale").sendKeys("compensating control at the origin");
        // A date input's typed format follows the browser's locale; set its ISO value instead.
        browser.driver.executeScript(
                "arguments[0].value = arguments[1]",
                browser.find("#expires"),
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(30).toString());
        browser.find("#classify").click();

        browser.awaitText("#notice", "Classified as Accept risk");
        browser.awaitText("#insight-state", "Accept risk");
        browser.awaitText("#history", "compensating control at the origin");
        assertThat(
                        count(
                                "select count(*) from insights where insight_id = "
                                        + id
                                        + " and classification = 'accept_risk'"
                                        + " and classification_expires_at > now()"))
                .isEqualTo(1);
    }

    @Test
    @Order(5)
    void dismissingMarksTheInsightInTheListAndHideDismissedLeavesItOut() {
        long id = firstCriticalInsight();
        long before = openUndismissed("");
        go("/insights/" + id);
        browser.find("#dismiss").click();

        browser.awaitText("#insight-state", "dismissed");
        browser.awaitText("#dismiss", "Restore");
        assertThat(count("select count(*) from insights where dismissed and insight_id = " + id))
                .isEqualTo(1);
        go("/insights?severity=critical");
        browser.awaitText("#insights tbody tr.dismissed", "dismissed");
        go("/insights?dismissed=false");
        browser.awaitText("#match-count", (before - 1) + " matching");
        Axe.assertNoViolations(browser.driver, "the demo's insights list, a row dismissed");
    }

    @Test
    @Order(6)
    void bulkDismissOfSelectedRowsUpdatesTheCount() {
        long before = openUndismissed("");
        go("/insights?dismissed=false");
        browser.awaitText("#match-count", before + " matching");
        List<WebElement> picks =
                browser.driver.findElements(By.cssSelector("#insights tbody input[name=pick]"));
        picks.get(0).click();
        picks.get(1).click();
        browser.find("#dismiss-selected").click();

        browser.awaitText("#notice", "Dismissed 2 of 2 selected insights");
        browser.awaitText("#match-count", (before - 2) + " matching");
    }

    @Test
    @Order(7)
    void exportDownloadsTheFilteredViewAsCsv() throws Exception {
        go("/insights?severity=critical&dismissed=false");
        long critical = openUndismissed(" and severity = 'critical'");
        browser.awaitText("#match-count", critical + " matching");
        browser.find("#export-csv").click();

        browser.awaitText("#notice", "Exported insights-" + account + ".csv");
        Path csv = downloads.resolve("insights-" + account + ".csv");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(csv));
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize((int) critical + 1); // header row
        assertThat(lines.subList(1, lines.size())).allMatch(l -> l.contains("critical"));
    }

    @Test
    @Order(8)
    void scanNowRequestsAScanAndSaysWhenItsResultArrives() {
        go("");
        browser.find("#scan-account").click();

        assertThat(browser.awaitText("#notice", "Scan"))
                .contains("requested; waiting for the result");
        assertThat(browser.awaitText("#notice", "finished")).contains("the page shows its result");
    }

    @Test
    @Order(9)
    void aNarrowWindowNeedsNoHorizontalScrolling() {
        browser.driver.manage().window().setSize(new Dimension(390, 900));
        try {
            go("/insights");
            browser.find("#match-count");
            Axe.assertNoViolations(browser.driver, "the demo's insights list at 390 px");
            assertThat(pageOverflow()).isLessThanOrEqualTo(0);
            go("");
            browser.find("#zones tbody tr");
            Axe.assertNoViolations(browser.driver, "the demo's overview at 390 px");
            assertThat(pageOverflow()).isLessThanOrEqualTo(0);
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    @Test
    @Order(10)
    void aTokenOfOneAccountNeverShowsAnotherAccountsData() {
        String other =
                pipeline.fleet().targets().stream()
                        .map(Target::accountId)
                        .filter(a -> !a.equals(account))
                        .findFirst()
                        .orElseThrow();
        String token =
                ApiTokens.create(pipeline.database()).issueForAccounts("one", List.of(account));
        signIn(token);
        go("");
        browser.awaitText("#open-total", Long.toString(openUndismissed("")));

        assertThat(new Select(browser.find("#account")).getOptions())
                .extracting(o -> o.getAttribute("value"))
                .containsExactly(account);
        List<String> foreignZones =
                pipeline.fleet().targets().stream()
                        .filter(t -> t.accountId().equals(other))
                        .map(Target::name)
                        .toList();
        assertThat(browser.driver.getPageSource()).doesNotContain(foreignZones);

        browser.driver.get(base + "#/a/" + other + "/insights");
        browser.awaitText("main", "not visible to this token");
        assertThat(browser.driver.getPageSource()).doesNotContain(foreignZones);
    }

    @Test
    @Order(11)
    void targetsWhoseScanIsLostAreTaggedOverdueInTheOverview() {
        String lost =
                "update targets set scan_lost_at = now() + interval '1 hour',"
                        + " scan_lost_state = 'left_for_operator', scan_attempt = 2"
                        + " where account_id = '"
                        + account
                        + "'";
        db.useHandle(h -> h.execute(lost));
        try {
            signIn(pipeline.accountToken());
            go("");
            browser.awaitText("#zones tbody", "overdue: scan lost");
            browser.awaitText("main", "with a lost scan");
            Axe.assertNoViolations(browser.driver, "the overview with lost scans");
        } finally {
            db.useHandle(
                    h ->
                            h.execute(
                                    "update targets set scan_lost_at = null,"
                                            + " scan_lost_state = null"));
        }
    }

    private static long pageOverflow() {
        return ((Number)
                        browser.driver.executeScript(
                                "return document.documentElement.scrollWidth"
                                        + " - document.documentElement.clientWidth"))
                .longValue();
    }

    private static long firstCriticalInsight() {
        return count(
                "select min(insight_id) from insights where account_id = '"
                        + account
                        + "' and status = 'open' and severity = 'critical'");
    }
}
