package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImportProgressTest {

    @Test
    void onATerminalTheBarIsRedrawnInPlaceAndMessagesPrintAboveIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImportProgress p =
                new ImportProgress(
                        new PrintStream(bytes, true, StandardCharsets.UTF_8), true, true);
        p.advance(500, 50, 100);
        p.message("f.csv:7: field 'plan' is required");
        p.advance(1000, 100, 100);
        p.finish();
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out).startsWith("\r\033[K[###############...............]  50%  500 lines");
        assertThat(out).contains("\r\033[Kf.csv:7: field 'plan' is required\n");
        assertThat(out).contains("[##############################] 100%  1,000 lines");
        assertThat(out).endsWith("\n").doesNotContain("import:");
    }

    @Test
    void elsewhereProgressIsPlainLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImportProgress p =
                new ImportProgress(
                        new PrintStream(bytes, true, StandardCharsets.UTF_8), false, true);
        p.advance(10, 10, 100);
        p.message("f.csv:2: bad");
        p.finish();
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out.lines().toList())
                .hasSize(3)
                .allMatch(l -> !l.contains("\r") && !l.contains("\033"));
        assertThat(out).contains("import: 10%  10 lines").contains("f.csv:2: bad");
    }
}
