package dev.vigil.tokens.internal;

import dev.vigil.tokens.TokenGrant;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Recently authenticated tokens, so that a worker's stream of results calls costs one token lookup
 * in PostgreSQL per {@link #ttl()} instead of one per call (a database round trip and a pool
 * checkout on every scan).
 *
 * <p>Only grants are cached, never refusals: a token issued a moment ago is honoured at once. An
 * entry lives for the shorter of the time to live and the token's own expiry, so an expired token
 * is refused on time. {@link #clear()} drops every entry; the owner calls it on revocation, so a
 * token revoked through this process is refused at once. A token revoked through another process
 * (the CLI, another API replica) is still honoured here for at most the time to live.
 *
 * <p>Keys are the tokens' SHA-256 (hex), never plaintexts. The cache holds at most {@link
 * #MAX_ENTRIES}; when full it is emptied (tokens are few; this bounds memory against a flood of
 * distinct valid tokens without the bookkeeping of an LRU). Thread-safe.
 */
public final class GrantCache {

    /** Entries held at most before the cache is emptied. */
    public static final int MAX_ENTRIES = 10_000;

    private record Entry(TokenGrant grant, Instant until) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final Duration ttl;
    private final Supplier<Instant> clock;

    private GrantCache(Duration ttl, Supplier<Instant> clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * A cache whose entries live at most {@code ttl} by {@code clock}; a zero {@code ttl} caches
     * nothing.
     *
     * @throws IllegalArgumentException when {@code ttl} is negative
     */
    public static GrantCache of(Duration ttl, Supplier<Instant> clock) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException(
                    "token cache time to live must not be negative, got " + ttl);
        }
        return new GrantCache(ttl, clock);
    }

    public Duration ttl() {
        return ttl;
    }

    /** The grant cached for {@code hash}, or null when none is cached or it has lapsed. */
    public @Nullable TokenGrant get(String hash) {
        Entry e = entries.get(hash);
        if (e == null) {
            return null;
        }
        if (!clock.get().isBefore(e.until())) {
            entries.remove(hash, e);
            return null;
        }
        return e.grant();
    }

    /**
     * The current generation: read it before looking a token up and hand it to {@link #put}, so a
     * lookup that raced a revocation is not cached.
     */
    public long generation() {
        return generation.get();
    }

    /**
     * Caches {@code grant} for {@code hash} until the time to live or {@code expiresAt}, unless the
     * cache was cleared since {@code seenGeneration} (the lookup may predate a revocation).
     */
    public void put(
            String hash, TokenGrant grant, @Nullable Instant expiresAt, long seenGeneration) {
        if (ttl.isZero() || generation.get() != seenGeneration) {
            return;
        }
        Instant until = clock.get().plus(ttl);
        if (expiresAt != null && expiresAt.isBefore(until)) {
            until = expiresAt;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(hash, new Entry(grant, until));
        if (generation.get() != seenGeneration) {
            entries.remove(
                    hash); // a revocation ran meanwhile; its clear may have missed this entry
        }
    }

    /** Forgets every grant (after a revocation). */
    public void clear() {
        generation.incrementAndGet();
        entries.clear();
    }
}
