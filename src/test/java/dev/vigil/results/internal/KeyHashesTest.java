package dev.vigil.results.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyHashesTest {

    @Test
    void distinctIdentitiesOfALargeCallAreAllNew() {
        KeyHashes keys = new KeyHashes();
        int fresh = 0;
        for (int i = 0; i < 500_000; i++) {
            fresh += keys.add("check_" + (i % 10), "rec-" + i + ".bench.example./A") ? 1 : 0;
        }

        assertThat(fresh).isEqualTo(500_000);
    }

    @Test
    void aRepeatedIdentityIsReportedWhereverItComes() {
        KeyHashes keys = new KeyHashes();
        for (int i = 0; i < 10_000; i++) {
            keys.add("check_" + (i % 7), "r" + i);
        }

        assertThat(keys.add("check_3", "r3")).isFalse();
        assertThat(keys.add("check_3", "r10000")).isTrue();
        assertThat(keys.add("check_3", "r10000")).isFalse();
    }

    @Test
    void theBoundaryBetweenCheckAndResourceKeyIsPartOfTheIdentity() {
        assertThat(KeyHashes.hash("ab", "c")).isNotEqualTo(KeyHashes.hash("a", "bc"));
        assertThat(KeyHashes.hash("a", "")).isNotEqualTo(KeyHashes.hash("", "a"));
    }
}
