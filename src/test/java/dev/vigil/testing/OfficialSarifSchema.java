package dev.vigil.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The official SARIF 2.1.0 JSON schema (OASIS, as published with Microsoft's SARIF tooling),
 * fetched at test time from the npm registry ({@code @microsoft/jest-sarif} ships it) and cached
 * under {@code target/}: the project does not carry a copy of it. Needs {@code npm} and the npm
 * registry; fails with the reason otherwise.
 */
public final class OfficialSarifSchema {
    static final String PACKAGE = "@microsoft/jest-sarif@1.0.0-beta.0";
    static final String ENTRY = "package/lib/schemas/sarif-2.1.0-rtm.5.json";

    private OfficialSarifSchema() {}

    public static synchronized Path path() throws IOException, InterruptedException {
        Path dir = Path.of("target", "official-schemas").toAbsolutePath();
        Path schema = dir.resolve(ENTRY);
        if (Files.exists(schema)) {
            return schema;
        }
        Files.createDirectories(dir);
        run(dir, List.of("npm", "pack", "--silent", PACKAGE));
        Path tgz;
        try (var files = Files.list(dir)) {
            tgz =
                    files.filter(p -> p.toString().endsWith(".tgz"))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "npm pack "
                                                            + PACKAGE
                                                            + " produced no archive in "
                                                            + dir));
        }
        run(dir, List.of("tar", "xzf", tgz.toString(), ENTRY));
        if (!Files.exists(schema)) {
            throw new IllegalStateException(PACKAGE + " no longer contains " + ENTRY);
        }
        return schema;
    }

    private static void run(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot run "
                            + cmd.getFirst()
                            + " to fetch the official SARIF schema (install Node.js/npm): "
                            + e.getMessage(),
                    e);
        }
        String out =
                new String(
                        p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
