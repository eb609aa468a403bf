package dev.vigil.testing.cloudflare;

import dev.vigil.testing.cloudflare.CloudflareStub.StubRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Request rates read from the stub's request log, as the API's own counters would see them. */
public final class RequestRate {

    private RequestRate() {}

    /** The most requests that arrived within any window of this length, [t, t + window). */
    public static int busiest(List<StubRequest> log, Duration window) {
        List<Instant> at = log.stream().map(StubRequest::at).sorted().toList();
        int best = 0;
        int from = 0;
        for (int to = 0; to < at.size(); to++) {
            while (Duration.between(at.get(from), at.get(to)).compareTo(Duration.ofSeconds(1))
                    >= 0) {
                from++;
            }
            best = Math.max(best, to - from + 1);
        }
        return best;
    }

    /** Requests per second from the first to the last, counting the intervals between them. */
    public static double mean(List<StubRequest> log) {
        List<Instant> at = log.stream().map(StubRequest::at).sorted().toList();
        if (at.size() < 2) {
            return 0;
        }
        double seconds = Duration.between(at.getFirst(), at.getLast()).toNanos() / 1e9;
        return (at.size() - 1) / seconds;
    }
}
