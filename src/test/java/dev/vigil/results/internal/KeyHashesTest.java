package dev.vigil.results.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyHashesTest {

    @Test
    void distinctIdentitiesOfALargeCallAreProvedDistinct() {
        KeyHashes keys = new KeyHashes();
        for (int i = 0; i < 500_000; i++) {
            keys.add("check_" + (i % 10), "rec-" + i + ".bench.example./A");
        }

        assertThat(keys.mayHaveDuplicates()).isFalse();
    }

    @Test
    void aRepeatedIdentityIsReportedAsAPossibleDuplicate() {
        KeyHashes keys = new KeyHashes();
        for (int i = 0; i < 10_000; i++) {
            keys.add("check_" + (i % 7), "r" + i);
        }
        keys.add("check_3", "r3");

        assertThat(keys.mayHaveDuplicates()).isTrue();
    }

    @Test
    void theBoundaryBetweenCheckAndResourceKeyIsPartOfTheIdentity() {
        assertThat(KeyHashes.hash("ab", "c")).isNotEqualTo(KeyHashes.hash("a", "bc"));
        assertThat(KeyHashes.hash("a", "")).isNotEqualTo(KeyHashes.hash("", "a"));
    }

    @Test
    void noFindingsHaveNoDuplicates() {
        assertThat(new KeyHashes().mayHaveDuplicates()).isFalse();
    }
}
