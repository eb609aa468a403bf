package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Hostile result bodies through the real ingestion route ({@code PUT /internal/v1/scans/{id}}) into
 * a real PostgreSQL: every body is stored whole (2xx) or refused with a 4xx problem, and a refusal
 * leaves every table as it was. Never a 5xx, a reset connection or a hang.
 *
 * <p>{@code mvn verify} replays the seeds in {@code ResultsIngestionFuzzITInputs/}; with {@code
 * JAZZER_FUZZ=1} it fuzzes (README, "Fuzzing").
 */
class ResultsIngestionFuzzIT {

    private static final Pattern SCAN_ID = Pattern.compile("\"scan_id\"\\s*:\\s*\"([^\"]{1,64})\"");
    private static FuzzApi api;
    private static String service;

    @BeforeAll
    static void start() {
        api = FuzzApi.start();
        api.pg.zoneTarget("acc1", "zone1");
        api.pg.accountTarget("acc1");
        service = api.tokens.issueService("fuzz-worker");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @FuzzTest(maxDuration = "30s")
    void resultBodiesAreStoredWholeOrRefusedCleanly(byte[] body) {
        try (var loopback = FuzzApi.loopback()) {
            check(body);
        }
    }

    private static void check(byte[] body) {
        // Use the body's own scan id in the path when it has one, so mutated bodies reach the
        // writer instead of all stopping at the path/body mismatch.
        String id = UUID.nameUUIDFromBytes(body).toString();
        Matcher m = SCAN_ID.matcher(new String(body, StandardCharsets.ISO_8859_1));
        if (m.find()) {
            id = java.net.URLEncoder.encode(m.group(1), StandardCharsets.UTF_8);
        }
        String before = api.state();

        FuzzApi.Answer a = api.send("PUT", "internal/v1/scans/" + id, service, body);

        FuzzApi.assertAnsweredCleanly("PUT scan " + id, a);
        if (a.status() >= 400) {
            assertThat(api.state()).as("tables after a refusal: " + a.body()).isEqualTo(before);
        }
    }
}
