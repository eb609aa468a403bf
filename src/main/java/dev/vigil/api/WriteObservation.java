package dev.vigil.api;

import dev.vigil.results.WriteOutcome;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * What a results call wrote, attached to its request: how a request logger added by a later feature
 * (the application's metrics) sees the write path, rows and duration of each result without the API
 * depending on a metrics library.
 */
public final class WriteObservation {
    private static final String ATTRIBUTE = "vigil.write-outcome";

    private WriteObservation() {}

    /**
     * Attaches {@code outcome} to the request; called by the results routes once a result is
     * applied (a batch call attaches one per result).
     */
    public static void attach(Context ctx, WriteOutcome outcome) {
        if (ctx.attributeMap().get(ATTRIBUTE) instanceof Outcomes o) {
            o.list().add(outcome);
        } else {
            List<WriteOutcome> list = new ArrayList<>();
            list.add(outcome);
            ctx.attribute(ATTRIBUTE, new Outcomes(list));
        }
    }

    /** The outcomes the request's results call attached, in order; empty when none. */
    public static List<WriteOutcome> of(Context ctx) {
        return ctx.attributeMap().get(ATTRIBUTE) instanceof Outcomes o
                ? List.copyOf(o.list())
                : List.of();
    }

    private record Outcomes(List<WriteOutcome> list) {}
}
