package dev.vigil.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A keyboard walk through the dashboard (issue 18, item 9): where Tab goes first, what "Skip to
 * content" does, where focus lands after each action that draws a page anew, and whether the focus
 * ring can be seen on what is around it.
 */
class DashboardKeyboardIT {

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

    void press(CharSequence key) {
        new Actions(f.browser.driver).sendKeys(key).perform();
    }

    void awaitFocus(String prefix) {
        new WebDriverWait(f.browser.driver, Duration.ofSeconds(20))
                .withMessage(() -> "focus is on " + f.focused() + ", not " + prefix)
                .until(d -> f.focused().startsWith(prefix));
    }

    @Test
    void tabFromTheTopReachesSkipToContentWhichMovesFocusIntoThePageItIsOn() {
        f.signIn();
        f.open("/insights?severity=critical", "#insights tbody tr");
        String url = f.browser.driver.getCurrentUrl();

        press(Keys.TAB);
        awaitFocus("a");
        assertThat(f.focused()).contains("\"Skip to content\"");
        assertThat(f.browser.find("a.skip").getRect().getX())
                .as("shown when focused")
                .isNotNegative();
        press(Keys.ENTER);

        awaitFocus("main#main");
        assertThat(f.browser.driver.getCurrentUrl()).isEqualTo(url);
        assertThat(f.browser.find("main h1").getText()).isEqualTo("Insights");
        press(Keys.TAB);
        assertThat(
                        f.browser.driver.executeScript(
                                "return document.getElementById('main').contains(document.activeElement)"))
                .as("the Tab after the skip link goes into main, not to %s", f.focused())
                .isEqualTo(true);
    }

    @Test
    void signingInPutsFocusOnTheOverviewsHeading() {
        f.signedOut();
        WebElement input = f.browser.find("#token");
        input.sendKeys(f.token);
        input.sendKeys(Keys.ENTER);

        awaitFocus("h1 \"");
        f.browser.find("#open-total");
    }

    @Test
    void applyingTheFiltersPutsFocusOnTheInsightsHeading() {
        f.signIn();
        f.open("/insights", "#insights tbody tr");
        new Select(f.browser.find("select[name=severity]")).selectByValue("critical");
        f.browser.find("#apply").sendKeys(Keys.ENTER);

        f.browser.awaitText("#match-count", "1 matching");
        awaitFocus("h1 \"Insights\"");
    }

    @Test
    void openingAnInsightPutsFocusOnItsHeading() {
        f.signIn();
        f.open("/insights?severity=critical", "#insights tbody a.insight-link");
        f.browser.find("#insights tbody a.insight-link").sendKeys(Keys.ENTER);

        awaitFocus("h1#insight-title");
    }

    @Test
    void dismissKeepsFocusOnItsButtonNowOfferingToRestore() {
        f.signIn();
        f.open("/insights?severity=critical", "#insights tbody input[name=pick]");
        String id = f.browser.find("#insights tbody input[name=pick]").getAttribute("value");
        f.open("/insights/" + id, "#dismiss");

        f.browser.find("#dismiss").sendKeys(Keys.ENTER);
        f.browser.awaitText("#insight-state", "dismissed");
        awaitFocus("button#dismiss \"Restore\"");

        press(Keys.ENTER); // undo, from where focus is
        f.browser.awaitText("#notice", "Insight restored.");
        awaitFocus("button#dismiss \"Dismiss\"");
    }

    @Test
    void dismissSelectedAndRestoreSelectedKeepFocusOnTheirButtons() {
        f.signIn();
        f.open("/insights?severity=critical", "#insights tbody input[name=pick]");

        f.browser.find("#insights tbody input[name=pick]").sendKeys(Keys.SPACE);
        f.browser.find("#dismiss-selected").sendKeys(Keys.ENTER);
        f.browser.awaitText("#notice", "Dismissed 1 of 1 selected insights.");
        awaitFocus("button#dismiss-selected");

        f.browser.find("#insights tbody input[name=pick]").sendKeys(Keys.SPACE);
        f.browser.find("#restore-selected").sendKeys(Keys.ENTER);
        f.browser.awaitText("#notice", "Restored 1 of 1 selected insights.");
        awaitFocus("button#restore-selected");
    }

    /**
     * Tabs through every stop of the overview and of the insights list and measures the focus ring
     * of each against the background around it (the ring is drawn 2 px outside the element).
     */
    @Test
    void theFocusRingHasAtLeastThreeToOneContrastWhereverItShows() {
        f.signIn();
        List<String> weak = new ArrayList<>();
        int stops = 0;
        for (String page : List.of("", "/insights")) {
            f.open(page, page.isEmpty() ? "#zones tbody tr" : "#insights tbody tr");
            for (int i = 0; i < 200; i++) {
                press(Keys.TAB);
                @SuppressWarnings("unchecked")
                Map<String, String> ring =
                        (Map<String, String>) f.browser.driver.executeScript(RING);
                if (ring == null) {
                    break; // back at the document: every stop seen
                }
                stops++;
                double ratio = Contrast.ratio(ring.get("outline"), ring.get("background"));
                if (!"solid".equals(ring.get("style")) || ratio < 3) {
                    weak.add(
                            String.format(
                                    "%s: %s %s on %s = %.2f:1",
                                    ring.get("element"),
                                    ring.get("style"),
                                    ring.get("outline"),
                                    ring.get("background"),
                                    ratio));
                }
            }
        }
        assertThat(stops).as("focus stops walked").isGreaterThan(20);
        assertThat(weak).as("focus rings under 3:1 (WCAG 1.4.11)").isEmpty();
    }

    /**
     * The focused element's outline, and the first opaque background behind it, from its parent up;
     * null when focus has left the page's elements.
     */
    static final String RING =
            """
            const e = document.activeElement;
            if (!e || e === document.body || e === document.documentElement) return null;
            const s = getComputedStyle(e);
            let background = 'rgb(255, 255, 255)';
            for (let n = e.parentElement; n; n = n.parentElement) {
              const c = getComputedStyle(n).backgroundColor;
              if (c !== 'transparent' && !/, 0\\)$/.test(c)) { background = c; break; }
            }
            return { element: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' "'
                       + (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 30) + '"',
                     style: s.outlineStyle, outline: s.outlineColor, background };
            """;

    @Test
    void theAlertsPageIsUsedFromTheKeyboard() throws Exception {
        long rule = f.seedAlerts();
        f.signIn();
        f.open("/alerts", "#rules tbody tr");

        // Enter in a field submits its form; the API's refusal puts focus on the field it names.
        f.browser.find("#dest-name").sendKeys("Keyboard hook", Keys.ENTER);
        awaitFocus("input#dest-url");
        assertThat(f.browser.find("#dest-url-error").getText()).contains("url");

        f.browser.find("#rule-delete-" + rule).sendKeys(Keys.ENTER);
        awaitFocus("button#rule-delete-" + rule + "-confirm");
        press(Keys.ESCAPE);
        awaitFocus("button#rule-delete-" + rule);

        f.browser.find("#rule-pause-" + rule).sendKeys(Keys.ENTER);
        f.browser.awaitText("#rule-pause-" + rule, "Resume");
        awaitFocus("button#rule-pause-" + rule);
        press(Keys.ENTER);
        f.browser.awaitText("#rule-pause-" + rule, "Pause");
        awaitFocus("button#rule-pause-" + rule);
    }
}
