package dev.vigil.api.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vigil.snapshots.PushOutcome;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The answer to one line of a batch push: one NDJSON line of the reply, in the input's order. */
sealed interface BatchReply {

    /**
     * Stored and announced ({@code accepted}), or equal to the stored version ({@code unchanged}):
     * the single push's 202 and 200.
     */
    record Done(
            int line,
            String status,
            String targetId,
            long version,
            List<String> changedSections,
            Instant receivedAt)
            implements BatchReply {

        static Done of(int line, PushOutcome outcome) {
            return new Done(
                    line,
                    switch (outcome) {
                        case PushOutcome.Accepted a -> "accepted";
                        case PushOutcome.Unchanged u -> "unchanged";
                    },
                    outcome.target().targetId(),
                    outcome.version(),
                    outcome.changedSections(),
                    outcome.receivedAt());
        }
    }

    /**
     * Not stored: {@code problem} says why, as the single push's problem details would (its {@code
     * status} the single push's HTTP status). Retrying the line is safe.
     *
     * @param targetId the line's target, when the line named one
     */
    record Refused(
            int line,
            String status,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String targetId,
            ProblemBody problem)
            implements BatchReply {

        static Refused of(int line, @Nullable String targetId, ApiProblem p) {
            return new Refused(
                    line,
                    "refused",
                    targetId,
                    new ProblemBody(
                            ProblemBody.ABOUT_BLANK,
                            p.title(),
                            p.status(),
                            p.getMessage(),
                            null,
                            p.field()));
        }
    }
}
