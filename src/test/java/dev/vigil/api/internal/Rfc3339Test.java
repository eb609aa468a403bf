package dev.vigil.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Rfc3339Test {

    @Test
    void instantsAreWrittenInUtcWithAFourDigitYear() {
        assertThat(Rfc3339.format(Instant.parse("2026-12-03T09:15:00Z")))
                .isEqualTo("2026-12-03T09:15:00Z");
        assertThat(Rfc3339.format(Instant.parse("2026-12-03T09:15:00.123456Z")))
                .isEqualTo("2026-12-03T09:15:00.123456Z");
    }

    @Test
    void anInstantPastYear9999IsWrittenAsTheLastOneRfc3339CanHold() {
        // Instant.toString() gives "+12000-01-01T00:00:00Z", which RFC 3339 parsers refuse.
        assertThat(Rfc3339.format(Instant.parse("+12000-01-01T00:00:00Z")))
                .isEqualTo("9999-12-31T23:59:59.999999Z");
    }

    @Test
    void theApiMapperWritesInstantsThroughIt() {
        assertThat(
                        new String(
                                Json.bytes(Map.of("t", Instant.parse("+12000-01-01T00:00:00Z"))),
                                java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"t\":\"9999-12-31T23:59:59.999999Z\"}");
    }
}
