package dev.vigil.testing.cloudflare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Faults a {@link CloudflareStub} injects, changeable while it serves. Each path regex is matched
 * (whole match) against the request path after {@code /client/v4}, e.g. {@code
 * /zones/[^/]+/dns_records}. Thread-safe: every method synchronizes on this object, and a counted
 * fault is consumed atomically, so {@code times} concurrent requests get exactly {@code times}
 * injected answers.
 */
public final class Faults {

    /** Cloudflare's documented client API limit: 1,200 requests per 5 minutes per token. */
    public static final int DEFAULT_LIMIT = 1200;

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    /** What the stub answers instead of the real payload. */
    sealed interface Injected {
        record Forbidden() implements Injected {}

        record Throttled(int retryAfterSeconds) implements Injected {}

        /** {@code html}: a 502 HTML page as an edge would send, else a 500 JSON envelope. */
        record ServerError(boolean html) implements Injected {}
    }

    /** A fault for the next {@code left} matching requests; guarded by the enclosing Faults. */
    private static final class Counted {
        final Pattern path;
        final Injected answer;
        int left;

        Counted(Pattern path, Injected answer, int left) {
            this.path = path;
            this.answer = answer;
            this.left = left;
        }
    }

    private record Delay(Pattern path, Duration delay) {}

    private final List<Pattern> forbidden = new ArrayList<>();
    private final List<Counted> counted = new ArrayList<>();
    private final List<Delay> delays = new ArrayList<>();
    private boolean omitTotalPages;
    private boolean emptyLastPage;
    private int limit = DEFAULT_LIMIT;
    private Duration window = DEFAULT_WINDOW;
    private int serverErrors;

    Faults() {}

    /** Matching paths answer 403 {@code {"code":10000,"message":"Authentication error"}}. */
    public synchronized Faults forbid(String pathRegex) {
        forbidden.add(Pattern.compile(pathRegex));
        return this;
    }

    /** The next {@code times} matching requests answer 429 with that {@code Retry-After}. */
    public synchronized Faults rateLimit(String pathRegex, int times, int retryAfterSeconds) {
        if (times < 1 || retryAfterSeconds < 0) {
            throw new IllegalArgumentException(
                    "rateLimit needs times >= 1 and retryAfterSeconds >= 0, got "
                            + times
                            + " and "
                            + retryAfterSeconds);
        }
        counted.add(
                new Counted(
                        Pattern.compile(pathRegex),
                        new Injected.Throttled(retryAfterSeconds),
                        times));
        return this;
    }

    /**
     * The next {@code times} matching requests fail on the server side: the first with 500 and a
     * JSON error envelope, the second with 502 and an HTML page (what Cloudflare's edge sends when
     * the API behind it fails), alternating after that.
     */
    public synchronized Faults serverError(String pathRegex, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("serverError needs times >= 1, got " + times);
        }
        counted.add(
                new Counted(Pattern.compile(pathRegex), new Injected.ServerError(false), times));
        return this;
    }

    /** Matching requests are answered after {@code delay} (a client timeout can fire first). */
    public synchronized Faults slow(String pathRegex, Duration delay) {
        delays.add(new Delay(Pattern.compile(pathRegex), delay));
        return this;
    }

    /** Page-numbered lists leave {@code total_pages} and {@code total_count} out of result_info. */
    public synchronized Faults omitTotalPages(boolean omit) {
        this.omitTotalPages = omit;
        return this;
    }

    /**
     * Page-numbered lists announce one page more than they hold ({@code total_pages} + 1), and that
     * page answers an empty {@code result}: a client must stop on an empty or short page.
     */
    public synchronized Faults emptyLastPage(boolean empty) {
        this.emptyLastPage = empty;
        return this;
    }

    /** The per-token sliding window the stub enforces (default 1,200 per 300 s). */
    public synchronized Faults limit(int requests, Duration window) {
        if (requests < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException(
                    "limit needs requests >= 1 and a positive window, got "
                            + requests
                            + " per "
                            + window);
        }
        this.limit = requests;
        this.window = window;
        return this;
    }

    /** Back to no faults and the default limit. */
    public synchronized Faults clear() {
        forbidden.clear();
        counted.clear();
        delays.clear();
        omitTotalPages = false;
        emptyLastPage = false;
        limit = DEFAULT_LIMIT;
        window = DEFAULT_WINDOW;
        serverErrors = 0;
        return this;
    }

    synchronized Optional<Injected> throttle(String path) {
        return consume(path, Injected.Throttled.class);
    }

    synchronized Optional<Injected> failure(String path) {
        Optional<Injected> e = consume(path, Injected.ServerError.class);
        if (e.isPresent()) {
            return Optional.of(new Injected.ServerError(serverErrors++ % 2 == 1));
        }
        for (Pattern p : forbidden) {
            if (p.matcher(path).matches()) {
                return Optional.of(new Injected.Forbidden());
            }
        }
        return Optional.empty();
    }

    synchronized Duration delay(String path) {
        Duration d = Duration.ZERO;
        for (Delay s : delays) {
            if (s.path().matcher(path).matches() && s.delay().compareTo(d) > 0) {
                d = s.delay();
            }
        }
        return d;
    }

    synchronized boolean omitsTotalPages() {
        return omitTotalPages;
    }

    synchronized boolean emptiesLastPage() {
        return emptyLastPage;
    }

    synchronized int limit() {
        return limit;
    }

    synchronized Duration window() {
        return window;
    }

    private Optional<Injected> consume(String path, Class<? extends Injected> kind) {
        for (Counted c : counted) {
            if (kind.isInstance(c.answer) && c.left > 0 && c.path.matcher(path).matches()) {
                c.left--;
                return Optional.of(c.answer);
            }
        }
        return Optional.empty();
    }
}
