package dev.vigil.http;

import java.io.IOException;

/** A response body longer than the caller's cap; {@code received} is a lower bound of its size. */
public final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    public BodyTooLarge(long limit, long received) {
        super(
                "document of at least "
                        + received
                        + " bytes exceeds the limit of "
                        + limit
                        + " bytes");
    }
}
