package dev.vigil.sources.cloudflare;

/** A Cloudflare operation that cannot go on, with the API's reason (never the token). */
public final class CloudflareException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CloudflareException(String message, Throwable cause) {
        super(message, cause);
    }
}
