package dev.vigil.api;

import dev.vigil.results.WriteOutcome;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * What a results call wrote, attached to its request: how a request logger added by a later feature
 * (the application's metrics) sees the write path, rows and duration of each result without the API
 * depending on a metrics library.
 */
public final class WriteObservation {
    private static final String ATTRIBUTE = "vigil.write-outcome";

    private WriteObservation() {}

    /** Attaches {@code outcome} to the request; called by the results route once it applied. */
    public static void attach(Context ctx, WriteOutcome outcome) {
        ctx.attribute(ATTRIBUTE, outcome);
    }

    /** The outcome the request's results call attached, if any. */
    public static Optional<WriteOutcome> of(Context ctx) {
        Object o = ctx.attributeMap().get(ATTRIBUTE);
        return o instanceof WriteOutcome w ? Optional.of(w) : Optional.empty();
    }
}
