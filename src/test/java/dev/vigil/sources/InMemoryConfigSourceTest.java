package dev.vigil.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InMemoryConfigSourceTest {

    private static final Target ACCOUNT = Target.account("acct-1", "Acme", Plan.ENTERPRISE);

    @Test
    void servesWhatWasPut() {
        InMemoryConfigSource source =
                InMemoryConfigSource.create().put("acct-1", "{\"mfa\":false}");

        assertThat(new String(source.fetch(ACCOUNT).json(), StandardCharsets.UTF_8))
                .isEqualTo("{\"mfa\":false}");
        assertThat(source.fetchCount("acct-1")).isEqualTo(1);
    }

    @Test
    void unknownTargetFailsPermanently() {
        assertThatThrownBy(() -> InMemoryConfigSource.create().fetch(ACCOUNT))
                .isInstanceOf(PermanentSourceException.class)
                .hasMessageContaining("target acct-1");
    }

    @Test
    void plantedFailureIsThrownTheGivenNumberOfTimesThenTheDocumentIsServed() {
        RetriableSourceException outage =
                new RetriableSourceException("acct-1", "planted outage", null);
        InMemoryConfigSource source =
                InMemoryConfigSource.create().put("acct-1", "{}").fail("acct-1", outage, 2);

        assertThatThrownBy(() -> source.fetch(ACCOUNT)).isSameAs(outage);
        assertThatThrownBy(() -> source.fetch(ACCOUNT)).isSameAs(outage);
        assertThat(source.fetch(ACCOUNT).json()).hasSize(2);
        assertThat(source.fetchCount("acct-1")).isEqualTo(3);
    }
}
