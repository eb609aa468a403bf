package dev.vigil.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/**
 * Every page of the dashboard against axe-core's WCAG 2.1 A/AA rules, at a desktop's and at a
 * phone's width (issue 18, item 9). The keyboard's path is {@link DashboardKeyboardIT}; the layout
 * on a phone, {@link DashboardNarrowIT}.
 */
class DashboardAccessibilityIT {

    static DashboardFixture f;
    static long ruleId;

    @BeforeAll
    static void start() throws Exception {
        f = DashboardFixture.start();
        ruleId = f.seedAlerts();
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

    void everyPageMeetsWcag21Aa(Dimension size) {
        f.size(size);
        String at = " at " + size.getWidth() + " px";
        f.signedOut();
        Axe.assertNoViolations(f.browser.driver, "the sign-in page" + at);

        f.signIn();
        f.open("", "#zones tbody tr button");
        f.browser.find("svg.chart text");
        Axe.assertNoViolations(f.browser.driver, "the overview" + at);

        f.open("/insights", "#insights tbody tr");
        Axe.assertNoViolations(f.browser.driver, "the insights list" + at);

        String id = f.browser.find("#insights tbody input[name=pick]").getAttribute("value");
        f.open("/insights/" + id, "#history tbody tr");
        Axe.assertNoViolations(f.browser.driver, "an insight" + at);

        f.open("/alerts", "#rules tbody tr");
        Axe.assertNoViolations(f.browser.driver, "the alerts page" + at);

        f.browser.find("#rule-delete-" + ruleId).click();
        f.browser.find("#rule-delete-" + ruleId + "-confirm");
        Axe.assertNoViolations(f.browser.driver, "the alerts page asking to delete" + at);

        f.open("/alerts/rules/" + ruleId, "#log-refresh");
        Axe.assertNoViolations(f.browser.driver, "a rule's delivery log" + at);
    }

    @Test
    void theAlertsPageWithASecretShownAndFieldErrorsMeetsWcag21Aa() {
        f.signIn();
        f.open("/alerts", "#dest-name");
        f.browser.find("#dest-name").sendKeys("A11y hook " + System.nanoTime());
        f.browser.find("#dest-url").sendKeys(f.sink.url().toString());
        f.browser.find("#dest-create").click();
        f.browser.find("#secret-value");
        f.browser.find("#rule-name").sendKeys("Bad family");
        f.browser.find("#rule-family").sendKeys("nosuchfamily");
        f.browser.find("#rule-create").click();
        f.browser.awaitText("#rule-family-error", "catalogue");
        Axe.assertNoViolations(f.browser.driver, "the alerts page with a secret and an error");
    }

    @Test
    void everyPageMeetsWcag21AaAtADesktopsWidth() {
        everyPageMeetsWcag21Aa(DashboardFixture.DESKTOP);
    }

    @Test
    void everyPageMeetsWcag21AaAtAPhonesWidth() {
        everyPageMeetsWcag21Aa(DashboardFixture.PHONE);
    }

    @Test
    void scanNowButtonsAreNamedByTheirVisibleTextFirst() {
        f.signIn();
        f.open("", "#zones tbody tr button");

        List<String> names =
                f.browser.driver.findElements(By.cssSelector("#zones tbody button")).stream()
                        .map(WebElement::getAccessibleName)
                        .toList();
        assertThat(names)
                .hasSize(4)
                .allMatch(n -> n.startsWith("Scan now "), "starts with Scan now");
        assertThat(names).contains("Scan now zone2.example");
    }
}
