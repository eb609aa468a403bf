package dev.vigil.testing.cloudflare;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-token sliding window of admitted requests, as Cloudflare limits its client API (1,200 per
 * 5 minutes per token by default). A refused request is not counted. Thread-safe: one lock over
 * every token's deque (the stub serves a few hundred requests a second at most).
 */
final class RateWindow {

    /** The outcome of one request and the header values to send with it. */
    record Admission(
            boolean admitted, int limit, long windowSeconds, int remaining, long resetSeconds) {

        /** {@code "default";r=<remaining>;t=<seconds until the oldest counted request expires>}. */
        String rateLimitHeader() {
            return "\"default\";r=" + remaining + ";t=" + resetSeconds;
        }

        /** {@code "burst";q=<limit>;w=<window seconds>}. */
        String policyHeader() {
            return "\"burst\";q=" + limit + ";w=" + windowSeconds;
        }
    }

    private final Map<String, Deque<Long>> admitted = new HashMap<>();

    /** Counts the request when there is room; either way says what the headers should show. */
    synchronized Admission acquire(String token, int limit, Duration window, long nowNanos) {
        return check(token, limit, window, nowNanos, true);
    }

    /** The headers' values without counting (for requests refused before the window). */
    synchronized Admission peek(String token, int limit, Duration window, long nowNanos) {
        return check(token, limit, window, nowNanos, false);
    }

    synchronized void clear() {
        admitted.clear();
    }

    private Admission check(String token, int limit, Duration window, long now, boolean count) {
        long w = window.toNanos();
        Deque<Long> q = admitted.computeIfAbsent(token, t -> new ArrayDeque<>());
        while (!q.isEmpty() && now - q.peekFirst() >= w) {
            q.pollFirst();
        }
        boolean room = q.size() < limit;
        if (room && count) {
            q.addLast(now);
        }
        long seconds = (w + 999_999_999L) / 1_000_000_000L;
        long reset = q.isEmpty() ? seconds : ceilSeconds(q.peekFirst() + w - now);
        return new Admission(room, limit, seconds, Math.max(0, limit - q.size()), reset);
    }

    private static long ceilSeconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
