package dev.vigil.api;

import dev.vigil.app.Wiring;
import dev.vigil.results.Database;
import java.time.Duration;

/**
 * Runs the API in a child JVM for heap-bound tests: {@code ChildApiMain <jdbcUrl> <user>
 * <password>}; prints {@code PORT <n>} once listening; exits when its stdin closes.
 */
public final class ChildApiMain {

    public static void main(String[] args) throws Exception {
        try (var pool =
                        Database.pool(
                                args[0],
                                args[1],
                                args[2],
                                4,
                                Duration.ofSeconds(10),
                                Duration.ofMinutes(5));
                ApiServer server =
                        Wiring.api(
                                ApiServer.Options.of(ApiSettings.defaults().withPort(0), pool),
                                null)) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        }
    }
}
