package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code vigil} launcher script: bash accepts it (a doubled {@code ;;} once ended a CI run at
 * once), and its check of the fuzzing passes' reports fails exactly when a pass left none.
 */
class LauncherTest {

    static final List<String> PASSES =
            List.of("rule-files", "results-ingestion", "config-push", "insight-queries");

    @Test
    void bashAcceptsTheLauncher() throws Exception {
        Result r = run(List.of("bash", "-n", "vigil"));
        assertThat(r.output()).isEmpty();
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void fuzzReportCheckPassesWhenEveryPassReportedTests(@TempDir Path here) throws Exception {
        for (String pass : PASSES) {
            report(here, pass, 9);
        }
        Result r = checkFuzzReports(here);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("fuzzing pass 'insight-queries' reported 9 tests");
    }

    @Test
    void fuzzReportCheckFailsNamingThePassWithoutAReportOrWithZeroTests(@TempDir Path here)
            throws Exception {
        report(here, "rule-files", 8);
        report(here, "results-ingestion", 0);
        report(here, "insight-queries", 10);
        Result r = checkFuzzReports(here);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output())
                .contains("the fuzzing pass 'results-ingestion' left no report of any test")
                .contains("the fuzzing pass 'config-push' left no report of any test")
                .contains("fuzzing pass 'rule-files' reported 8 tests");
    }

    /** A report as surefire and failsafe write it: one testsuite element per test class. */
    static void report(Path here, String pass, int tests) throws IOException {
        Path dir = Files.createDirectories(here.resolve("target/harness/fuzz-reports/" + pass));
        Files.writeString(
                dir.resolve("TEST-dev.vigil.SomeFuzzIT.xml"),
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        + "<testsuite xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                        + " version=\"3.0.2\" name=\"dev.vigil.SomeFuzzIT\" time=\"49.8\" tests=\""
                        + tests
                        + "\" errors=\"0\" skipped=\"0\" failures=\"0\">\n</testsuite>\n");
    }

    /** Runs the launcher's own function, taken from the script, against {@code here}. */
    static Result checkFuzzReports(Path here) throws Exception {
        return run(
                List.of(
                        "bash",
                        "-c",
                        "source <(sed -n '/^check_fuzz_reports() {/,/^}/p' vigil)"
                                + " && here=\"$1\" && check_fuzz_reports",
                        "check",
                        here.toString()));
    }

    record Result(int exitCode, String output) {}

    static Result run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        // Read to the end first: the output is complete once the stream closes.
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("bash ended").isTrue();
        return new Result(p.exitValue(), out);
    }
}
