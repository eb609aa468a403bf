package dev.vigil.alerts.internal;

import dev.vigil.alerts.DeliveryOutcome;
import dev.vigil.alerts.OutboundPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One POST of a JSON body to an alert receiver, the same for webhooks and Slack: the {@link
 * OutboundPolicy} first (a refused destination gets no connection, not even a DNS query of the HTTP
 * client), then one exchange bounded by the timeout as a whole — connect, send, headers and the
 * answer's body, of which only the first {@value PrefixBody#CAP} bytes are kept. Redirects are not
 * followed: the client is built with {@link HttpClient.Redirect#NEVER}, and a 3xx is a verdict
 * ({@link HttpVerdicts}).
 *
 * <p>Every error text names the receiver by {@code label} (its host) and never holds the URL's path
 * or query, which for Slack is the secret. Thread-safe: the client is shared.
 */
public final class HttpDelivery {

    /** What one exchange gave, before the verdict. */
    public sealed interface Exchange {

        /** The receiver answered with this status; {@code body} is the start of its body. */
        record Answered(int status, String body, @Nullable Duration retryAfter, Duration latency)
                implements Exchange {}

        /** No answer: refused by the policy, or the connection failed or timed out. */
        record Failed(DeliveryOutcome outcome) implements Exchange {}
    }

    private static final String USER_AGENT = "Vigil-Alerts/1";

    private final HttpClient client;
    private final OutboundPolicy policy;
    private final Duration timeout;

    /**
     * An exchange over {@code client}, allowed by {@code policy}, bounded by {@code timeout}.
     *
     * @param client a client that does not follow redirects (see {@link #newClient}); the caller
     *     owns and closes it
     */
    public HttpDelivery(HttpClient client, OutboundPolicy policy, Duration timeout) {
        this.client = client;
        this.policy = policy;
        this.timeout = timeout;
    }

    /** A client for alert deliveries: no redirects, HTTP/1.1, connecting within {@code timeout}. */
    public static HttpClient newClient(Duration timeout) {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    /**
     * Posts {@code body} to {@code url} with {@code headers}; blocks for at most the timeout (plus
     * the policy's DNS lookup).
     *
     * @param label the receiver as error texts name it, e.g. {@code "webhook receiver
     *     hooks.example.com"}
     * @param began {@link System#nanoTime()} when the attempt began, for its latency
     */
    public Exchange post(
            URI url, String label, Map<String, String> headers, byte[] body, long began) {
        switch (policy.check(url)) {
            case OutboundPolicy.Verdict.Denied d -> {
                return new Exchange.Failed(
                        new DeliveryOutcome.Refused(null, d.reason(), elapsed(began)));
            }
            case OutboundPolicy.Verdict.Unresolved u -> {
                return new Exchange.Failed(
                        new DeliveryOutcome.Retry(null, u.reason(), null, elapsed(began)));
            }
            case OutboundPolicy.Verdict.Allowed a -> {}
        }
        HttpRequest request;
        try {
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(url)
                            .timeout(timeout)
                            .header("Content-Type", "application/json")
                            .header("User-Agent", USER_AGENT)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(b::header);
            request = b.build();
        } catch (IllegalArgumentException e) {
            return new Exchange.Failed(
                    new DeliveryOutcome.Refused(
                            null, label + ": the request cannot be built", elapsed(began)));
        }
        CompletableFuture<HttpResponse<String>> future =
                client.sendAsync(request, PrefixBody.handler());
        try {
            HttpResponse<String> response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Exchange.Answered(
                    response.statusCode(),
                    response.body(),
                    HttpVerdicts.retryAfter(response.headers().firstValue("Retry-After")),
                    elapsed(began));
        } catch (TimeoutException e) {
            future.cancel(true);
            return retry(label + " did not answer within " + timeout.toMillis() + " ms", began);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return retry("interrupted while sending to " + label + " (shutting down)", began);
        } catch (ExecutionException e) {
            return new Exchange.Failed(failed(url, label, e.getCause(), began));
        }
    }

    private DeliveryOutcome failed(URI url, String label, @Nullable Throwable cause, long began) {
        Duration latency = elapsed(began);
        return switch (cause) {
            case HttpConnectTimeoutException t ->
                    new DeliveryOutcome.Retry(
                            null,
                            "connecting to "
                                    + label
                                    + " timed out after "
                                    + timeout.toMillis()
                                    + " ms",
                            null,
                            latency);
            case HttpTimeoutException t ->
                    new DeliveryOutcome.Retry(
                            null,
                            label + " did not answer within " + timeout.toMillis() + " ms",
                            null,
                            latency);
            case ConnectException c ->
                    new DeliveryOutcome.Retry(
                            null, label + " refused the connection", null, latency);
            // Reset, closed mid-answer, TLS failures: the receiver or the network may recover.
            case IOException io ->
                    new DeliveryOutcome.Retry(
                            null,
                            "connection to " + label + " failed: " + scrub(url, label, io),
                            null,
                            latency);
            case null ->
                    new DeliveryOutcome.Retry(
                            null, "sending to " + label + " failed", null, latency);
            default ->
                    new DeliveryOutcome.Refused(
                            null,
                            "sending to " + label + " failed: " + scrub(url, label, cause),
                            latency);
        };
    }

    /** The exception as text, without the URL's path or query should a message quote them. */
    private static String scrub(URI url, String label, Throwable t) {
        String text =
                t.getClass().getSimpleName()
                        + (t.getMessage() == null ? "" : ": " + t.getMessage());
        text = text.replace(url.toString(), label);
        String path = url.getRawPath();
        if (path != null && path.length() > 1) {
            text = text.replace(path, "/…");
        }
        return text;
    }

    private static Exchange retry(String error, long began) {
        return new Exchange.Failed(new DeliveryOutcome.Retry(null, error, null, elapsed(began)));
    }

    static Duration elapsed(long began) {
        return Duration.ofNanos(System.nanoTime() - began);
    }
}
