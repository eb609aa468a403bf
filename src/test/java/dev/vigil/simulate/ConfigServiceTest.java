package dev.vigil.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.simulate.ConfigService.LatencyModel;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConfigServiceTest {

    private static long[] samplesMillisTimes100(LatencyModel model, int n) {
        SplittableRandom random = new SplittableRandom(42);
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) {
            micros[i] = model.sample(random).toNanos() / 1_000;
        }
        Arrays.sort(micros);
        return micros;
    }

    @Test
    void typicalModelHasItsMedianNearTwoMilliseconds() {
        long[] micros = samplesMillisTimes100(LatencyModel.typical(), 100_000);

        assertThat(micros[micros.length / 2]).isBetween(1_800L, 2_200L);
    }

    @Test
    void typicalModelSendsAboutOnePercentIntoTheSlowRange() {
        long[] micros = samplesMillisTimes100(LatencyModel.typical(), 100_000);

        long slow = Arrays.stream(micros).filter(m -> m >= 200_000).count();
        assertThat(slow).isBetween(850L, 1_150L);
        assertThat(micros[micros.length - 1]).isLessThanOrEqualTo(2_000_000L);
    }

    @Test
    void fastAnswersStayFarBelowTheSlowRange() {
        long[] micros = samplesMillisTimes100(LatencyModel.typical(), 100_000);

        // lognormal, sigma 0.5: the 98th percentile is 2 ms * e^(0.5 * 2.05) ≈ 5.6 ms
        assertThat(micros[(int) (micros.length * 0.98)]).isBetween(4_000L, 8_000L);
    }

    @Test
    void noneNeverDelays() {
        long[] micros = samplesMillisTimes100(LatencyModel.none(), 1_000);

        assertThat(micros[micros.length - 1]).isZero();
    }

    @Test
    void fixedAlwaysTakesTheSameTime() {
        long[] micros = samplesMillisTimes100(LatencyModel.fixed(Duration.ofMillis(7)), 1_000);

        assertThat(micros[0]).isEqualTo(7_000L);
        assertThat(micros[micros.length - 1]).isEqualTo(7_000L);
    }

    @Test
    void slowFractionOutsideZeroToOneIsRefusedWithTheValue() {
        assertThatThrownBy(
                        () ->
                                new LatencyModel(
                                        Duration.ofMillis(2),
                                        0.5,
                                        1.5,
                                        Duration.ZERO,
                                        Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slow fraction 1.5 must be between 0 and 1");
    }
}
