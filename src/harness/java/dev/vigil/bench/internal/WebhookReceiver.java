package dev.vigil.bench.internal;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code alerts} benchmark's webhook receiver on 127.0.0.1 (a free port): one path per account,
 * {@code /hook/{account_id}}, each verified with that account's destination secret by the Standard
 * Webhooks reference library ({@link Webhook#verify}) before anything in the body is believed. It
 * records when each event (zone and check) first arrived, and counts repeats: a {@code webhook-id}
 * seen before (the dispatcher's at-least-once retry) and an event seen before in another message (a
 * duplicate alert). A request that fails verification is answered 401 and its events are not
 * recorded, so they count as lost unless a verified retry brings them.
 *
 * <p>Thread-safe: requests run on virtual threads; the records are concurrent maps and counters.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Javalin app;
    private final Map<String, Webhook> verifiers = new ConcurrentHashMap<>();
    private final Map<String, Long> firstReceived = new ConcurrentHashMap<>();
    private final Set<String> messageIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong repeatedMessages = new AtomicLong();
    private final AtomicLong duplicateEvents = new AtomicLong();
    private final AtomicLong verificationFailures = new AtomicLong();
    private final AtomicLong firstNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastNanos = new AtomicLong();

    private WebhookReceiver() {
        this.app =
                Javalin.create(
                        cfg -> {
                            cfg.concurrency.useVirtualThreads = true;
                            cfg.startup.showJavalinBanner = false;
                            cfg.jetty.host = "127.0.0.1";
                            cfg.jetty.port = 0;
                            cfg.routes.addHttpHandler(
                                    HandlerType.POST, "/hook/{account}", this::handle);
                        });
    }

    /** Starts a receiver on 127.0.0.1 at a free port. */
    public static WebhookReceiver start() {
        WebhookReceiver r = new WebhookReceiver();
        r.app.start();
        return r;
    }

    /** The URL {@code account}'s destination posts to. */
    public URI url(String account) {
        return URI.create("http://127.0.0.1:" + app.port() + "/hook/" + account);
    }

    /** Verifies {@code account}'s deliveries with {@code secret} ({@code whsec_…}). */
    public void expect(String account, String secret) {
        verifiers.put(account, new Webhook(secret));
    }

    private void handle(Context ctx) {
        long now = System.nanoTime();
        String body = new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
        Webhook verifier = verifiers.get(ctx.pathParam("account"));
        Map<String, List<String>> headers = new java.util.HashMap<>();
        ctx.headerMap().forEach((name, value) -> headers.put(name, List.of(value)));
        try {
            if (verifier == null) {
                throw new WebhookVerificationException("no secret for this account");
            }
            verifier.verify(body, headers);
        } catch (WebhookVerificationException e) {
            verificationFailures.incrementAndGet();
            ctx.status(401).result("signature: " + e.getMessage());
            return;
        }
        messages.incrementAndGet();
        String id = ctx.header("webhook-id");
        if (id != null && !messageIds.add(id)) {
            repeatedMessages.incrementAndGet();
        }
        for (JsonNode e : JSON.readTree(body).path("data").path("events")) {
            events.incrementAndGet();
            String key = key(e.path("zone_id").asString(""), e.path("check_id").asString(""));
            if (firstReceived.putIfAbsent(key, now) != null) {
                duplicateEvents.incrementAndGet();
            }
        }
        firstNanos.accumulateAndGet(now, Math::min);
        lastNanos.accumulateAndGet(now, Math::max);
        ctx.status(200).result("ok");
    }

    private static String key(String zoneId, String checkId) {
        return zoneId + "/" + checkId;
    }

    /** When the event of {@code checkId} on {@code zoneId} first arrived verified, or null. */
    public @Nullable Long receivedAt(String zoneId, String checkId) {
        return firstReceived.get(key(zoneId, checkId));
    }

    /** Forgets the first and last receive times: the next {@link #span} starts here. */
    public void resetSpan() {
        firstNanos.set(Long.MAX_VALUE);
        lastNanos.set(0);
    }

    /** Nanoseconds between the first and the last verified request since {@link #resetSpan}. */
    public long span() {
        return lastNanos.get() - firstNanos.get();
    }

    /** What arrived so far. */
    public Counts counts() {
        return new Counts(
                messages.get(),
                events.get(),
                repeatedMessages.get(),
                duplicateEvents.get(),
                verificationFailures.get());
    }

    /**
     * Counters at one instant; the difference of two is a phase.
     *
     * @param messages verified requests
     * @param events events in verified requests, repeats included
     * @param repeatedMessages verified requests whose {@code webhook-id} had been seen before
     * @param duplicateEvents events (zone and check) seen before in a verified request
     * @param verificationFailures requests refused because their signature did not verify
     */
    public record Counts(
            long messages,
            long events,
            long repeatedMessages,
            long duplicateEvents,
            long verificationFailures) {

        public Counts since(Counts earlier) {
            return new Counts(
                    messages - earlier.messages,
                    events - earlier.events,
                    repeatedMessages - earlier.repeatedMessages,
                    duplicateEvents - earlier.duplicateEvents,
                    verificationFailures - earlier.verificationFailures);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
