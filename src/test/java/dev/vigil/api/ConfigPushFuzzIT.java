package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Hostile configuration pushes ({@code POST /v1/{zones|accounts}/{id}/config}) over HTTP against a
 * real PostgreSQL: each is stored and announced (2xx), or refused with a 4xx problem that stores
 * and announces nothing. Never a 5xx or a hang.
 *
 * <p>An input is a first line holding the query text ({@code version=3&changed_sections=dns}; its
 * first byte picks the zone or the account) and then the body; {@code mvn verify} replays {@code
 * ConfigPushFuzzITInputs/}.
 */
class ConfigPushFuzzIT {

    private static FuzzApi api;
    private static String token;

    @BeforeAll
    static void start() {
        api = FuzzApi.start();
        api.pg.zoneTarget("acc1", "zone1");
        api.pg.accountTarget("acc1");
        token = api.tokens.issueForAccounts("pusher", List.of("acc1"));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @FuzzTest(maxDuration = "30s")
    void pushesAreStoredAndAnnouncedOrRefusedWithNothingStored(byte[] input) {
        try (var loopback = FuzzApi.loopback()) {
            check(input);
        }
    }

    private static void check(byte[] input) {
        int nl = indexOf(input, (byte) '\n');
        String head = new String(input, 0, nl < 0 ? input.length : nl, StandardCharsets.UTF_8);
        byte[] body = nl < 0 ? new byte[0] : Arrays.copyOfRange(input, nl + 1, input.length);
        String route =
                !head.isEmpty() && (head.charAt(0) & 1) == 1
                        ? "v1/accounts/acc1/config"
                        : "v1/zones/zone1/config";
        String query = head.isEmpty() ? "" : FuzzQueries.encode(head.substring(1));
        String target = route + (query.isEmpty() ? "" : "?" + query);
        String before = api.state();
        int announced = api.published.size();

        FuzzApi.Answer a = api.send("POST", target, token, body);

        FuzzApi.assertAnsweredCleanly("POST " + target, a);
        if (a.status() >= 400 || a.status() == 200) {
            assertThat(api.state()).as("tables after " + a.body()).isEqualTo(before);
            assertThat(api.published).as("announcements after " + a.body()).hasSize(announced);
        } else {
            assertThat(api.published).as("announcements after " + a.body()).hasSize(announced + 1);
        }
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
