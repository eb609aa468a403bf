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
            while (Duration.between(at.get(from), at.get(to)).compareTo(window) >= 0) {
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

    /**
     * Asserts that the requests kept to {@code perSecond}, as far as arrival times can show it. The
     * pacer spaces the slots exactly; a caller that was held up (a busy CPU, a collection) sends
     * its slot late, so at most {@code callers} late requests can land together. Hence: within any
     * 5 s no more than 5 s of requests plus one per caller, and over the run, leaving out the first
     * and last twentieth (where such a late one weighs most), no more than 10 % above the rate.
     */
    public static void assertPaced(List<StubRequest> log, double perSecond, int callers) {
        org.assertj.core.api.Assertions.assertThat(busiest(log, Duration.ofSeconds(5)))
                .as("requests within the busiest 5 s")
                .isLessThanOrEqualTo((int) Math.floor(perSecond * 5) + callers + 1);
        List<StubRequest> sorted =
                log.stream().sorted(java.util.Comparator.comparing(StubRequest::at)).toList();
        int cut = sorted.size() / 20;
        org.assertj.core.api.Assertions.assertThat(mean(sorted.subList(cut, sorted.size() - cut)))
                .as("requests per second over the run")
                .isLessThanOrEqualTo(perSecond * 1.1);
    }
}
