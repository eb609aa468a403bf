package dev.vigil.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ContrastTest {

    @Test
    void blackOnWhiteIsTwentyOneToOne() {
        assertThat(Contrast.ratio("#000000", "rgb(255, 255, 255)")).isCloseTo(21, within(0.001));
    }

    @Test
    void theOldAmberFocusRingWasBelowThreeToOneOnWhite() {
        assertThat(Contrast.ratio("#f59e0b", "#ffffff")).isCloseTo(2.15, within(0.01));
    }

    @Test
    void theNewFocusRingMeetsThreeToOneOnTheLightestAndDarkestBackgrounds() {
        assertThat(Contrast.ratio("rgb(180, 83, 9)", "#ffffff")).isCloseTo(5.02, within(0.01));
        assertThat(Contrast.ratio("rgba(180, 83, 9, 1)", "#111827")).isCloseTo(3.53, within(0.01));
    }

    @Test
    void aTranslucentColourIsRefusedNotGuessed() {
        assertThatThrownBy(() -> Contrast.ratio("rgba(0, 0, 0, 0.5)", "#ffffff"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "colour 'rgba(0, 0, 0, 0.5)' is not an opaque rgb(), rgba(…, 1) or #rrggbb");
    }
}
