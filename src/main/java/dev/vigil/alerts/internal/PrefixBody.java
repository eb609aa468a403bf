package dev.vigil.alerts.internal;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * A response body of which only the first {@value #CAP} bytes are kept, the rest read and dropped:
 * enough to quote a receiver's error ({@code no_service}, a problem's title) in the delivery log,
 * while a receiver that answers with megabytes costs no memory. The exchange's timeout bounds how
 * long the rest is read.
 */
final class PrefixBody implements Flow.Subscriber<List<ByteBuffer>> {

    static final int CAP = 512;

    // Reactive Streams serialize the signals, and the finisher runs after onComplete.
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    private PrefixBody() {}

    static HttpResponse.BodyHandler<String> handler() {
        return info ->
                HttpResponse.BodySubscribers.fromSubscriber(new PrefixBody(), PrefixBody::text);
    }

    private String text() {
        return kept.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer b : buffers) {
            int n = Math.min(b.remaining(), CAP - kept.size());
            if (n > 0) {
                byte[] part = new byte[n];
                b.get(part);
                kept.write(part, 0, n);
            }
        }
    }

    @Override
    public void onError(Throwable error) {}

    @Override
    public void onComplete() {}
}
