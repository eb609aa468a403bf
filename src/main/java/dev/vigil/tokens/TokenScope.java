package dev.vigil.tokens;

import java.util.Locale;

/** What kind of caller a token stands for. */
public enum TokenScope {
    /** Workers: the internal API, and reading every account's data; never changing it. */
    SERVICE,
    /** People and their tools: the data of the accounts the token lists, nothing else. */
    ACCOUNTS,
    /** Token management only; reads no tenant's data. */
    ADMIN;

    /** The name stored and shown on the wire ({@code service}, {@code accounts}, {@code admin}). */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The scope named {@code wire}.
     *
     * @throws IllegalArgumentException for an unknown name, stating the accepted ones
     */
    public static TokenScope fromWire(String wire) {
        for (TokenScope s : values()) {
            if (s.wire().equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown token scope '" + wire + "' (expected service, accounts or admin)");
    }
}
