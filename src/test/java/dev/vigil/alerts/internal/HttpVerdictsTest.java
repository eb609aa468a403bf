package dev.vigil.alerts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.DeliveryOutcome;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class HttpVerdictsTest {

    private static final String LABEL = "webhook receiver hooks.example.com";

    private static DeliveryOutcome verdict(int status, String body, @Nullable Duration retryAfter) {
        return HttpVerdicts.of(
                LABEL,
                new HttpDelivery.Exchange.Answered(status, body, retryAfter, Duration.ofMillis(5)));
    }

    @Test
    void successIsDelivered() {
        assertThat(verdict(204, "", null))
                .isEqualTo(new DeliveryOutcome.Delivered(204, Duration.ofMillis(5)));
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheReceiversWait() {
        assertThat(verdict(429, "slow down", Duration.ofSeconds(7)))
                .isEqualTo(
                        new DeliveryOutcome.Retry(
                                429,
                                LABEL + " answered 429: slow down",
                                Duration.ofSeconds(7),
                                Duration.ofMillis(5)));
    }

    @Test
    void serverErrorsAndRequestTimeoutAreRetried() {
        assertThat(verdict(500, "", null)).isInstanceOf(DeliveryOutcome.Retry.class);
        assertThat(verdict(503, "", null)).isInstanceOf(DeliveryOutcome.Retry.class);
        assertThat(verdict(408, "", null)).isInstanceOf(DeliveryOutcome.Retry.class);
    }

    @Test
    void goneIsGone() {
        assertThat(verdict(410, "", null))
                .isEqualTo(
                        new DeliveryOutcome.Gone(
                                410,
                                LABEL + " answered 410 (gone: the destination is disabled)",
                                Duration.ofMillis(5)));
    }

    @Test
    void otherClientErrorsAreRefusedQuotingTheBody() {
        DeliveryOutcome o = verdict(400, "{\n  \"error\": \"bad\"\n}", null);

        assertThat(o)
                .isEqualTo(
                        new DeliveryOutcome.Refused(
                                400,
                                LABEL + " answered 400: { \"error\": \"bad\" }",
                                Duration.ofMillis(5)));
        assertThat(verdict(404, "", null)).isInstanceOf(DeliveryOutcome.Refused.class);
    }

    @Test
    void redirectIsRefusedNotFollowed() {
        assertThat(((DeliveryOutcome.Refused) verdict(302, "", null)).error())
                .isEqualTo(
                        LABEL
                                + " answered 302 (a redirect; alert deliveries do not follow"
                                + " redirects: configure the final URL)");
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertThat(HttpVerdicts.retryAfter(Optional.of("120"))).isEqualTo(Duration.ofMinutes(2));
        assertThat(HttpVerdicts.retryAfter(Optional.of("Wed, 21 Oct 2015 07:28:00 GMT")))
                .isEqualTo(Duration.ZERO);
        assertThat(HttpVerdicts.retryAfter(Optional.of("Thu, 31 Dec 2099 23:59:59 GMT")))
                .isGreaterThan(Duration.ofDays(365));
        assertThat(HttpVerdicts.retryAfter(Optional.of("soon"))).isNull();
        assertThat(HttpVerdicts.retryAfter(Optional.empty())).isNull();
    }

    @Test
    void longBodyIsQuotedInPart() {
        String error = ((DeliveryOutcome.Retry) verdict(500, "x".repeat(1000), null)).error();

        assertThat(error)
                .hasSize(LABEL.length() + " answered 500: ".length() + 200 + 1)
                .endsWith("…");
    }
}
