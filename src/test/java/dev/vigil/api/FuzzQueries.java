package dev.vigil.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Turns fuzz input text into a well-formed, percent-encoded query string. */
final class FuzzQueries {

    private FuzzQueries() {}

    /**
     * {@code name=value&...} with every name and value percent-encoded, so any text (newlines,
     * NULs, non-ASCII, '%') reaches the handler as sent instead of being refused by the client.
     */
    static String encode(String raw) {
        StringBuilder sb = new StringBuilder();
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }
}
