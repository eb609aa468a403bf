package dev.vigil.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.sources.SnapshotBatchClient.Answer;
import dev.vigil.sources.SnapshotBatchClient.Wanted;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What a coalesced read answers for each batch outcome (the batch and single ports are fakes). */
class BatchedSnapshotsTest {
    static final Target ZONE = Target.zone("z1", "a1", "example.com", Plan.PRO);

    private final List<List<Wanted>> batches = new CopyOnWriteArrayList<>();
    private final List<Long> singles = new CopyOnWriteArrayList<>();

    private ConfigDocument alone(Target t, long version) {
        singles.add(version);
        return new ConfigDocument(t, bytes("alone v" + version), Instant.now(), Duration.ZERO);
    }

    private BatchedSnapshots over(BatchedSnapshots.Batch batch) {
        return new BatchedSnapshots(
                w -> {
                    batches.add(w);
                    return batch.fetch(w);
                },
                this::alone,
                Duration.ZERO,
                8);
    }

    @Test
    void aFoundVersionIsTheBatchAnswersBytes() {
        BatchedSnapshots s = over(w -> Map.of(w.getFirst(), new Answer.Found(bytes("{\"v\":3}"))));

        assertThat(s.fetch(ZONE, 3).json()).isEqualTo(bytes("{\"v\":3}"));
        assertThat(batches).containsExactly(List.of(new Wanted("z1", 3)));
        assertThat(singles).isEmpty();
    }

    @Test
    void aVersionTheBatchAnswers404ForIsAPermanentFailureNamingIt() {
        BatchedSnapshots s =
                over(w -> Map.of(w.getFirst(), new Answer.Missing(404, "pruned after 32")));

        assertThatThrownBy(() -> s.fetch(ZONE, 4))
                .isInstanceOf(PermanentSourceException.class)
                .hasMessageContaining("z1 v4")
                .hasMessageContaining("pruned after 32");
        assertThat(singles).isEmpty();
    }

    @Test
    void aVersionLeftOutOfAFullAnswerIsFetchedAlone() {
        BatchedSnapshots s =
                over(w -> Map.of(w.getFirst(), new Answer.Missing(413, "budget spent")));

        assertThat(s.fetch(ZONE, 5).json()).isEqualTo(bytes("alone v5"));
        assertThat(singles).containsExactly(5L);
    }

    @Test
    void anApiWithoutTheBatchRouteIsReadOneVersionAtATime() {
        BatchedSnapshots s =
                over(
                        w -> {
                            throw new PermanentSourceException(
                                    "z1", "status 404: no route POST config:batch", null);
                        });

        assertThat(s.fetch(ZONE, 6).json()).isEqualTo(bytes("alone v6"));
        assertThat(singles).containsExactly(6L);
    }

    @Test
    void aBatchCallFailingRetriablyFailsTheReadRetriably() {
        BatchedSnapshots s =
                over(
                        w -> {
                            throw new RetriableSourceException("z1", "status 503", null);
                        });

        assertThatThrownBy(() -> s.fetch(ZONE, 7))
                .isInstanceOf(RetriableSourceException.class)
                .hasMessageContaining("status 503");
        assertThat(singles).isEmpty();
    }

    @Test
    void anAnswerWithoutTheVersionFallsBackToAFetchOfItsOwn() {
        BatchedSnapshots s = over(w -> new LinkedHashMap<>());

        assertThat(s.fetch(ZONE, 8).json()).isEqualTo(bytes("alone v8"));
    }

    @Test
    void impossibleSettingsAreRefused() {
        assertThatThrownBy(() -> new BatchedSnapshots(w -> Map.of(), this::alone, Duration.ZERO, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 item");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
