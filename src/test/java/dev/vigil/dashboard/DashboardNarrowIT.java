package dev.vigil.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard on a phone's width, 390 CSS px (issue 18, item 9): tables wider than their box
 * scroll inside it and show that they do, the page itself never scrolls sideways, and the trend
 * chart's labels can be read.
 */
class DashboardNarrowIT {

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

    @BeforeEach
    void phone() {
        f.size(DashboardFixture.PHONE);
        f.signIn();
    }

    @AfterEach
    void desktop() {
        f.size(DashboardFixture.DESKTOP);
    }

    /** Each table in main, with its box: what the box is and whether the table is wider. */
    static final String TABLES =
            """
            return [...document.querySelectorAll('main table')]
              .filter((t) => t.getClientRects().length > 0)
              .map((t) => {
                const box = t.parentElement;
                const s = getComputedStyle(box);
                return { table: t.id || t.querySelector('th').textContent,
                         role: box.getAttribute('role') || '', name: box.getAttribute('aria-label') || '',
                         tabindex: box.getAttribute('tabindex') || '', overflow: s.overflowX,
                         shadow: s.backgroundImage,
                         wider: t.getBoundingClientRect().width > box.clientWidth + 0.5 };
              });
            """;

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> tables() {
        return (List<Map<String, Object>>) f.browser.driver.executeScript(TABLES);
    }

    long pageOverflow() {
        return ((Number)
                        f.browser.driver.executeScript(
                                "return document.documentElement.scrollWidth"
                                        + " - document.documentElement.clientWidth"))
                .longValue();
    }

    void assertTablesScrollInLabelledFocusableRegionsWithShadows(String page) {
        List<Map<String, Object>> tables = tables();
        assertThat(tables).as("tables of %s", page).isNotEmpty();
        for (Map<String, Object> t : tables) {
            assertThat(t)
                    .as("the box of table %s on %s", t.get("table"), page)
                    .containsEntry("role", "region")
                    .containsEntry("tabindex", "0")
                    .containsEntry("overflow", "auto");
            assertThat((String) t.get("name")).as("its aria-label").isNotBlank();
            assertThat((String) t.get("shadow"))
                    .as("its scroll shadows")
                    .contains("radial-gradient");
        }
        assertThat(pageOverflow())
                .as("%s scrolls sideways as a whole; past the edge: %s", page, pastTheEdge())
                .isNotPositive();
    }

    /** The outermost elements that reach past the window's right edge. */
    Object pastTheEdge() {
        return f.browser.driver.executeScript(
                """
                const w = document.documentElement.clientWidth;
                const out = [...document.querySelectorAll('body *')]
                  .filter((e) => e.getBoundingClientRect().right > w + 0.5);
                return out.filter((e) => !out.includes(e.parentElement))
                  .map((e) => e.tagName.toLowerCase() + '.' + e.className + ' right='
                       + Math.round(e.getBoundingClientRect().right));
                """);
    }

    @Test
    void theOverviewsTablesScrollInsideLabelledFocusableRegionsWithShadows() throws Exception {
        f.open("", "#zones tbody tr");
        f.browser.screenshot("overview-390px");
        assertTablesScrollInLabelledFocusableRegionsWithShadows("the overview");
        assertThat(tables())
                .as("the zones table is wider than a phone, so its box must scroll")
                .anyMatch(t -> Boolean.TRUE.equals(t.get("wider")));
    }

    @Test
    void theInsightsTableScrollsInsideALabelledFocusableRegionWithShadows() throws Exception {
        f.open("/insights", "#insights tbody tr");
        f.browser.driver.executeScript("document.getElementById('insights').scrollIntoView()");
        f.browser.screenshot("insights-390px");
        assertTablesScrollInLabelledFocusableRegionsWithShadows("the insights list");
    }

    @Test
    void anInsightsHistoryScrollsInsideALabelledFocusableRegionWithShadows() {
        f.open("/insights?severity=critical", "#insights tbody input[name=pick]");
        String id = f.browser.find("#insights tbody input[name=pick]").getAttribute("value");
        f.open("/insights/" + id, "#history tbody tr");
        assertTablesScrollInLabelledFocusableRegionsWithShadows("an insight");
    }

    @Test
    void theAlertsPageAndADeliveryLogFitAPhone() throws Exception {
        long rule = alertRule();
        f.open("/alerts", "#rules tbody tr");
        f.browser.driver.executeScript("document.getElementById('rules').scrollIntoView()");
        f.browser.screenshot("alerts-390px");
        assertTablesScrollInLabelledFocusableRegionsWithShadows("the alerts page");

        f.browser.find("#rule-test-" + rule).click();
        f.browser.find("#test-queued a").click();
        f.browser.find("#deliveries tbody tr");
        assertTablesScrollInLabelledFocusableRegionsWithShadows("a rule's delivery log");
    }

    /** The seeded rule's id, seeded on first use. */
    static long alertRule() throws Exception {
        if (seededRule == 0) {
            seededRule = f.seedAlerts();
        }
        return seededRule;
    }

    static long seededRule;

    /**
     * The labels' size on screen: their font size in the drawing times the drawing's scale. WCAG
     * sets no minimum; 12 px is the smallest the rest of the page uses (.78rem badges).
     */
    @Test
    void theTrendChartsLabelsAreAtLeastElevenPixelsTall() {
        f.open("", "svg.chart text");
        new WebDriverWait(f.browser.driver, Duration.ofSeconds(20))
                .withMessage(() -> "chart labels on screen: " + labelSizes() + " px")
                .until(d -> labelSizes().stream().allMatch(px -> px >= 11));
        assertThat(labelSizes()).hasSizeGreaterThanOrEqualTo(4);
    }

    /**
     * The chart redraws itself when its box changes width; a redraw that changed the box's height
     * would call the ResizeObserver again in the same frame, which the browser reports as an error
     * (Lighthouse counts errors in the console against the page).
     */
    @Test
    void theChartRedrawsOnResizeWithoutAnErrorInThePage() {
        f.browser.driver.executeCdpCommand(
                "Page.addScriptToEvaluateOnNewDocument",
                Map.of(
                        "source",
                        "window.pageErrors = [];"
                                + " addEventListener('error', (e) => pageErrors.push(String(e.message)));"));
        f.open("", "svg.chart text");
        f.size(DashboardFixture.DESKTOP);
        new WebDriverWait(f.browser.driver, Duration.ofSeconds(20))
                .until(d -> labelSizes().stream().allMatch(px -> Math.abs(px - 12) < 0.5));
        f.size(DashboardFixture.PHONE);
        new WebDriverWait(f.browser.driver, Duration.ofSeconds(20))
                .withMessage(() -> "chart labels on screen: " + labelSizes() + " px")
                .until(d -> labelSizes().stream().allMatch(px -> Math.abs(px - 12) < 0.5));

        assertThat(f.browser.driver.executeScript("return window.pageErrors"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .isEmpty();
    }

    @SuppressWarnings("unchecked")
    List<Double> labelSizes() {
        List<Number> px =
                (List<Number>)
                        f.browser.driver.executeScript(
                                """
                                const svg = document.querySelector('svg.chart');
                                const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                                return [...svg.querySelectorAll('text')]
                                  .map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
                                """);
        return px.stream().map(Number::doubleValue).toList();
    }
}
