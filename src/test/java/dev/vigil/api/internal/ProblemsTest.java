package dev.vigil.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void resultFieldsAreNamedAsTheRouteNamesThemElsewhere() {
        assertThat(Problems.requestField("/scan_id")).isEqualTo("scan_id");
        assertThat(Problems.requestField("/findings/0/message")).isEqualTo("findings[0].message");
        assertThat(Problems.requestField("/findings/12/context/a~1b"))
                .isEqualTo("findings[12].context.a/b");
        assertThat(Problems.requestField("$")).isEqualTo("body");
        assertThat(Problems.requestField("findings[0].message")).isEqualTo("findings[0].message");
    }
}
