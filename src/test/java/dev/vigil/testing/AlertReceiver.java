package dev.vigil.testing;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A receiver of alert deliveries on a loopback address (free port), for the senders' and the
 * end-to-end tests: it records every request, verifies the Standard Webhooks signature against each
 * secret it was given (with the specification's reference library; a secret may be added after the
 * start with {@link #verifyingWith}, as a destination's secret is answered only once the
 * destination is created with the receiver's URL), and answers the scripted replies in order, then
 * 200 {@code ok}. A {@link Reply#holding} reply holds the request until the receiver closes.
 * Requests run on virtual threads; the log and the secrets are guarded by the receiver's lock.
 */
public final class AlertReceiver implements AutoCloseable {

    /** One request as received; {@code verifiedBy} holds, per secret, whether it verified. */
    public record Received(
            Map<String, List<String>> headers, String body, List<Boolean> verifiedBy) {

        public String header(String name) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                    return h.getValue().getFirst();
                }
            }
            return "";
        }
    }

    /** A scripted answer. */
    public record Reply(int status, String body, Map<String, String> headers, boolean holds) {
        public static Reply of(int status, String body) {
            return new Reply(status, body, Map.of(), false);
        }

        public static Reply withHeader(int status, String name, String value) {
            return new Reply(status, "", Map.of(name, value), false);
        }

        public static Reply holding() {
            return new Reply(200, "ok", Map.of(), true);
        }
    }

    private final Javalin app;
    private final String host;
    private final List<String> secrets = new ArrayList<>();
    private final Deque<Reply> script = new ArrayDeque<>();
    private final List<Received> received = new ArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    private AlertReceiver(String host, List<String> secrets) {
        this.host = host;
        this.secrets.addAll(secrets);
        this.app =
                Javalin.create(
                        cfg -> {
                            cfg.concurrency.useVirtualThreads = true;
                            cfg.startup.showJavalinBanner = false;
                            cfg.jetty.host = host;
                            cfg.jetty.port = 0;
                            cfg.routes.addHttpHandler(HandlerType.POST, "/*", this::handle);
                        });
    }

    /** A receiver on {@code host} (a loopback address) verifying with {@code secrets}. */
    public static AlertReceiver start(String host, List<String> secrets) {
        AlertReceiver r = new AlertReceiver(host, secrets);
        r.app.start();
        return r;
    }

    /** {@code http://host:port/path}. */
    public URI url(String path) {
        return URI.create("http://" + host + ":" + app.port() + path);
    }

    /** Answers these, in order, before the default 200 {@code ok}. */
    public synchronized AlertReceiver script(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** Verifies the requests received from now on with {@code secret} too (the last entry). */
    public synchronized AlertReceiver verifyingWith(String secret) {
        secrets.add(secret);
        return this;
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(Context ctx) throws InterruptedException {
        String body = new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ctx.headerMap().forEach((name, value) -> headers.put(name, List.of(value)));
        List<String> known;
        synchronized (this) {
            known = List.copyOf(secrets);
        }
        List<Boolean> verified = new ArrayList<>();
        for (String secret : known) {
            verified.add(verifies(secret, body, headers));
        }
        Reply reply;
        synchronized (this) {
            received.add(new Received(Map.copyOf(headers), body, List.copyOf(verified)));
            reply = script.isEmpty() ? Reply.of(200, "ok") : script.removeFirst();
        }
        if (reply.holds()) {
            closing.await(30, TimeUnit.SECONDS);
        }
        ctx.status(reply.status());
        reply.headers().forEach(ctx::header);
        ctx.result(reply.body());
    }

    private static boolean verifies(String secret, String body, Map<String, List<String>> headers) {
        try {
            new Webhook(secret).verify(body, headers);
            return true;
        } catch (WebhookVerificationException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closing.countDown();
        app.stop();
    }
}
