package dev.vigil.tokens.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.tokens.TokenGrant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class GrantCacheTest {

    private static final TokenGrant GRANT = new TokenGrant("workers", true, List.of());
    private final AtomicReference<Instant> now =
            new AtomicReference<>(Instant.parse("2026-11-25T12:00:00Z"));
    private final GrantCache cache = GrantCache.of(Duration.ofSeconds(5), now::get);

    @Test
    void aCachedGrantIsReusedWithinItsTimeToLive() {
        cache.put("h1", GRANT, null, cache.generation());
        now.set(now.get().plusSeconds(4));

        assertThat(cache.get("h1")).isEqualTo(GRANT);
        assertThat(cache.get("h2")).isNull();
    }

    @Test
    void aGrantLapsesAfterItsTimeToLive() {
        cache.put("h1", GRANT, null, cache.generation());
        now.set(now.get().plusSeconds(5));

        assertThat(cache.get("h1")).isNull();
    }

    @Test
    void aGrantLapsesWhenTheTokenExpiresBeforeTheTimeToLive() {
        cache.put("h1", GRANT, now.get().plusSeconds(1), cache.generation());
        now.set(now.get().plusSeconds(1));

        assertThat(cache.get("h1")).isNull();
    }

    @Test
    void clearingForgetsEveryGrant() {
        cache.put("h1", GRANT, null, cache.generation());
        cache.clear();

        assertThat(cache.get("h1")).isNull();
    }

    @Test
    void aLookupThatStartedBeforeARevocationIsNotCached() {
        long seen = cache.generation();
        cache.clear();
        cache.put("h1", GRANT, null, seen);

        assertThat(cache.get("h1")).isNull();
    }

    @Test
    void aZeroTimeToLiveCachesNothing() {
        GrantCache off = GrantCache.of(Duration.ZERO, now::get);
        off.put("h1", GRANT, null, off.generation());

        assertThat(off.get("h1")).isNull();
    }

    @Test
    void aNegativeTimeToLiveIsRefused() {
        assertThatThrownBy(() -> GrantCache.of(Duration.ofSeconds(-1), now::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-1S");
    }
}
