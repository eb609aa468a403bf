package dev.vigil.alerts;

import dev.vigil.checks.Severity;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Messages and events for the senders' tests. */
final class Samples {

    static final URI DASHBOARD = URI.create("https://vigil.example.com/");
    static final Instant AT = Instant.parse("2026-12-03T12:00:00Z");

    private Samples() {}

    static AlertEvent event(long insightId, Severity severity, String subject) {
        return new AlertEvent(
                Trigger.OPENED,
                insightId,
                "acme",
                "zone-1",
                "tls.min_version",
                severity,
                "tls",
                subject,
                "TLS 1.0 is enabled",
                AT);
    }

    static AlertMessage message(List<AlertEvent> events) {
        return new AlertMessage(
                UUID.fromString("0190c2a4-7a1e-7b3c-9d2e-5f6a7b8c9d0e"),
                "acme",
                12L,
                "prod-critical",
                false,
                AT,
                events,
                DASHBOARD);
    }

    static AlertMessage message() {
        return message(
                List.of(
                        event(101, Severity.HIGH, "www.acme.example"),
                        event(102, Severity.CRITICAL, "api.acme.example")));
    }

    /** {@code n} events, severities cycling, subjects {@code host-<i>.acme.example}. */
    static AlertMessage many(int n) {
        List<AlertEvent> events = new ArrayList<>();
        Severity[] s = Severity.values();
        for (int i = 0; i < n; i++) {
            events.add(event(1000 + i, s[i % s.length], "host-" + i + ".acme.example"));
        }
        return message(events);
    }
}
