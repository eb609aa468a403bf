package dev.vigil.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Alerts page (issue 19) in headless Chromium, as a user walks it: a webhook destination whose
 * secret is shown once, a rule with filters, a test message followed into the delivery log until
 * the dispatcher has delivered it to the loopback receiver, pause and resume, an API refusal shown
 * next to its field, deletion, and a read-only token. The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardAlertsIT {

    static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    static DashboardFixture f;
    static String secret;
    static String ruleId;

    @BeforeAll
    static void start() throws Exception {
        f = DashboardFixture.start();
        f.signIn();
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
    @Order(1)
    void theNavigationLeadsToTheAlertsPage() {
        f.open("", "#zones");
        f.browser.find("#nav-alerts").click();
        f.browser.awaitText("main h1", "Alerts");
        assertThat(f.browser.find("#nav-alerts").getAttribute("aria-current")).isEqualTo("page");
        assertThat(f.focused()).startsWith("h1");
        assertThat(f.browser.find("#h-dests + p.empty").getText()).contains("No destination yet");
    }

    @Test
    @Order(2)
    void aWebhooksSecretIsShownOnceThenNeverAgain() {
        f.open("/alerts", "#dest-name");
        f.browser.find("#dest-name").sendKeys("Ops hook");
        f.browser.find("#dest-url").sendKeys(f.sink.url().toString());
        f.browser.find("#dest-create").click();

        f.browser.awaitText("#secret-note", "you will not see this again");
        secret = f.browser.find("#secret-value").getDomProperty("value");
        assertThat(secret).startsWith("whsec_");
        assertThat(f.focused()).startsWith("h2#secret-title");
        assertThat(f.browser.awaitText("#destinations", "Ops hook"))
                .contains(f.sink.url().toString());
        assertThat(f.browser.find("#notice").getText()).contains("Destination Ops hook added");

        f.browser.find("#secret-copy").click();
        f.browser.awaitText("#secret-copied", "Copied");

        f.open("/alerts", "#destinations");
        assertThat(f.browser.driver.findElements(By.id("secret-box"))).isEmpty();
        assertThat(f.browser.driver.getPageSource()).doesNotContain(secret);
    }

    @Test
    @Order(3)
    void aRotatedSecretIsShownOnceAndTheOldOneStillSignsForADay() {
        f.open("/alerts", "#destinations tbody tr");
        String dest = f.browser.find("#destinations tbody tr").getAttribute("id");
        f.browser.find("#" + dest.replace("dest-", "dest-rotate-")).click();

        f.browser.awaitText("#secret-title", "New signing secret of Ops hook");
        String rotated = f.browser.find("#secret-value").getDomProperty("value");
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(secret);
        assertThat(f.browser.find("#secret-note").getText())
                .contains("The previous secret keeps signing until");
        assertThat(f.focused()).startsWith("h2#secret-title");
        assertThat(f.browser.find("#" + dest).getText()).contains("Previous secret valid until");

        f.browser.find("#secret-done").click();
        assertThat(f.browser.driver.findElements(By.id("secret-box"))).isEmpty();
        assertThat(f.focused()).startsWith("h2#h-dests");
    }

    @Test
    @Order(4)
    void anEmailDestinationsBadRecipientIsShownNextToTheRecipients() {
        f.open("/alerts", "#dest-name");
        f.browser.find("#dest-name").sendKeys("Ops mail");
        new Select(f.browser.find("#dest-kind")).selectByValue("email");
        f.browser.find("#dest-recipients").sendKeys("ops@example.com, not-an-address");
        f.browser.find("#dest-create").click();

        assertThat(f.browser.awaitText("#dest-recipients-error", "recipients"))
                .contains("not-an-address");
        assertThat(f.focused()).startsWith("textarea#dest-recipients");
        assertThat(f.browser.driver.findElements(By.cssSelector("#destinations tbody tr")))
                .hasSize(1);
    }

    @Test
    @Order(5)
    void anApiRefusalIsShownNextToTheFieldItNames() {
        f.open("/alerts", "#rule-name");
        f.browser.find("#rule-name").sendKeys("Bad check");
        f.browser.find("#rule-check_id").sendKeys("no.such_check");
        f.browser.find("#rule-create").click();

        String error = f.browser.awaitText("#rule-check_id-error", "not in the check catalogue");
        assertThat(error).contains("filters.check_id").contains("no.such_check");
        assertThat(f.focused()).startsWith("input#rule-check_id");
        assertThat(f.browser.find("#rule-check_id").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(f.browser.find("#rule-check_id").getAttribute("aria-describedby"))
                .contains("rule-check_id-error");
    }

    @Test
    @Order(6)
    void aRuleWithFiltersIsListedInWords() {
        f.open("/alerts", "#rule-name");
        f.browser.find("#rule-name").sendKeys("Critical outside zone2");
        new Select(f.browser.find("#rule-destination")).selectByVisibleText("Ops hook (webhook)");
        f.browser.find("#rule-trigger-reopened").click();
        f.browser.find("#rule-mode-digest").click();
        new Select(f.browser.find("#rule-window")).selectByValue("PT15M");
        f.browser.find("#rule-severity-critical").click();
        f.browser.find("#rule-severity-high").click();
        f.browser.find("#rule-zone_id").sendKeys("zone2");
        f.browser.find("#rule-not-zone_id").click();
        f.browser.find("#rule-family").sendKeys("tls");
        f.browser.find("#rule-create").click();

        String row = f.browser.awaitText("#rules tbody tr", "Critical outside zone2");
        assertThat(row)
                .contains("Ops hook")
                .contains("Opened, Reopened")
                .contains("Digest every 15 min")
                .contains("Severity is one of critical, high; Zone id is not zone2;")
                .contains("Check family is tls")
                .contains("active");
        ruleId = f.browser.find("#rules tbody tr").getAttribute("id").substring("rule-".length());
        assertThat(f.focused()).startsWith("button#rule-test-" + ruleId);
    }

    @Test
    @Order(7)
    void aTestMessageIsQueuedThenDeliveredAsTheLogShows() {
        f.open("/alerts", "#rule-test-" + ruleId);
        f.browser.find("#rule-test-" + ruleId).click();
        String notice = f.browser.awaitText("#notice", "Test message");
        String messageId = f.browser.find("#test-queued .message-id").getText();
        assertThat(messageId).matches(UUID);
        assertThat(notice).contains("queued for Critical outside zone2");

        f.browser.find("#test-queued a").click();
        f.browser.awaitText("main h1", "Delivery log of Critical outside zone2");
        assertThat(f.browser.awaitText("#deliveries tbody tr", messageId)).contains("test");
        String delivered =
                new WebDriverWait(f.browser.driver, Duration.ofSeconds(20))
                        .withMessage("the log never showed message " + messageId + " delivered")
                        .ignoring(StaleElementReferenceException.class)
                        .until(
                                d -> {
                                    String text =
                                            d.findElement(By.cssSelector("#deliveries tbody tr"))
                                                    .getText();
                                    if (text.contains("delivered")) {
                                        return text;
                                    }
                                    d.findElement(By.id("log-refresh")).click();
                                    return null;
                                });
        assertThat(delivered).contains(messageId).contains("HTTP 204").contains(" ms");
        assertThat(f.sink.received()).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(8)
    void theAlertsPageIsPhotographedForTheReadme() throws Exception {
        f.open("/alerts", "#rules tbody tr");
        f.browser.screenshot("alerts");
    }

    @Test
    @Order(9)
    void aRuleIsPausedAndResumedWithFocusStayingOnItsButton() {
        f.open("/alerts", "#rule-pause-" + ruleId);
        f.browser.find("#rule-pause-" + ruleId).click();
        f.browser.awaitText("#rule-" + ruleId, "paused");
        assertThat(f.browser.find("#rule-pause-" + ruleId).getText()).isEqualTo("Resume");
        assertThat(f.focused()).startsWith("button#rule-pause-" + ruleId);
        assertThat(f.browser.find("#notice").getText()).contains("paused");

        f.browser.find("#rule-pause-" + ruleId).click();
        f.browser.awaitText("#rule-pause-" + ruleId, "Pause");
        assertThat(f.browser.find("#rule-" + ruleId).getText()).contains("active");
    }

    @Test
    @Order(10)
    void aReadOnlyTokenSeesEverythingButCannotChangeIt() {
        f.signIn(f.readToken);
        f.open("/alerts", "#rules");
        assertThat(f.browser.find("#readonly-note").getText())
                .contains("read alerting but not change it");
        for (String id :
                new String[] {
                    "#dest-create",
                    "#rule-create",
                    "#rule-test-" + ruleId,
                    "#rule-pause-" + ruleId,
                    "#rule-delete-" + ruleId
                }) {
            WebElement b = f.browser.find(id);
            assertThat(b.isEnabled()).as(id + " is disabled").isFalse();
        }
        assertThat(f.browser.find("#rule-pause-" + ruleId).getAttribute("aria-describedby"))
                .isEqualTo("readonly-note");
        assertThat(f.browser.find("#rules").getText()).contains("Critical outside zone2");
        f.signIn();
    }

    @Test
    @Order(11)
    void deletingAsksFirstThenRemovesTheRuleAndTheDestination() {
        f.open("/alerts", "#rule-delete-" + ruleId);
        f.browser.find("#rule-delete-" + ruleId).click();
        assertThat(f.focused()).startsWith("button#rule-delete-" + ruleId + "-confirm");
        f.browser.find("#rule-delete-" + ruleId + "-cancel").click();
        assertThat(f.focused()).startsWith("button#rule-delete-" + ruleId);

        f.browser.find("#rule-delete-" + ruleId).click();
        f.browser.find("#rule-delete-" + ruleId + "-confirm").click();
        f.browser.awaitText("#notice", "Rule Critical outside zone2 deleted");
        assertThat(f.browser.driver.findElements(By.id("rule-" + ruleId))).isEmpty();
        assertThat(f.focused()).startsWith("h2#h-rules");

        String dest = f.browser.find("#destinations tbody tr").getAttribute("id");
        f.browser.find("#" + dest.replace("dest-", "dest-delete-")).click();
        f.browser.find("#" + dest.replace("dest-", "dest-delete-") + "-confirm").click();
        f.browser.awaitText("#notice", "Destination Ops hook deleted");
        assertThat(f.browser.find("#h-dests + p.empty").getText()).contains("No destination yet");
    }
}
