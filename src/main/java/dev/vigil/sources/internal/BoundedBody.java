package dev.vigil.sources.internal;

import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Collects a response body into a byte array without ever holding more than a limit. In {@link
 * Mode#FAIL} a longer body (declared by Content-Length or as it arrives) cancels the exchange and
 * fails with {@link TooLarge}; in {@link Mode#TRUNCATE} the first {@code limit} bytes are kept and
 * the rest is read and dropped (for error bodies quoted in messages).
 *
 * <p>The HTTP client calls the subscriber methods one at a time, so the fields need no locking.
 */
public final class BoundedBody implements BodySubscriber<byte[]> {

    /** What to do with bytes past the limit. */
    public enum Mode {
        FAIL,
        TRUNCATE
    }

    /** The body is longer than the limit; {@code received} is a lower bound of its size. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        public TooLarge(long limit, long received) {
            super(
                    "document of at least "
                            + received
                            + " bytes exceeds the limit of "
                            + limit
                            + " bytes");
        }
    }

    private final int limit;
    private final Mode mode;
    private final long declaredLength;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final List<ByteBuffer> kept = new ArrayList<>();
    private long keptBytes;
    private Flow.@Nullable Subscription subscription;

    private BoundedBody(int limit, Mode mode, long declaredLength) {
        this.limit = limit;
        this.mode = mode;
        this.declaredLength = declaredLength;
    }

    /**
     * A subscriber for one response body.
     *
     * @param declaredLength the Content-Length header, or -1 when absent
     */
    public static BoundedBody of(int limit, Mode mode, long declaredLength) {
        return new BoundedBody(limit, mode, declaredLength);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (mode == Mode.FAIL && declaredLength > limit) {
            s.cancel();
            result.completeExceptionally(new TooLarge(limit, declaredLength));
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            int room = (int) Math.max(0, limit - keptBytes);
            if (item.remaining() > room) {
                switch (mode) {
                    case FAIL -> {
                        if (subscription != null) {
                            subscription.cancel();
                        }
                        kept.clear();
                        result.completeExceptionally(
                                new TooLarge(limit, keptBytes + item.remaining()));
                        return;
                    }
                    case TRUNCATE -> {
                        if (room > 0) {
                            ByteBuffer head = item.slice();
                            head.limit(room);
                            kept.add(head);
                            keptBytes += room;
                        }
                    }
                }
            } else {
                kept.add(item);
                keptBytes += item.remaining();
            }
        }
    }

    @Override
    public void onError(Throwable throwable) {
        kept.clear();
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        byte[] bytes = new byte[(int) keptBytes];
        int at = 0;
        for (ByteBuffer b : kept) {
            int n = b.remaining();
            b.get(bytes, at, n);
            at += n;
        }
        kept.clear();
        result.complete(bytes);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }
}
