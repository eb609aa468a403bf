package dev.vigil.api.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}), in the field order every
 * error answer has had.
 *
 * @param type always {@code about:blank}: the status and title say what happened
 * @param instance the request path; left out when the problem is answered before routing
 * @param field the request field (parameter, body field) at fault; left out when none is
 */
record ProblemBody(
        String type,
        String title,
        int status,
        @Nullable String detail,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String instance,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String field) {

    static final String ABOUT_BLANK = "about:blank";

    /** The body of {@code p} where no request path applies (an item of a batch reply). */
    static ProblemBody of(ApiProblem p) {
        return new ProblemBody(ABOUT_BLANK, p.title(), p.status(), p.getMessage(), null, p.field());
    }
}
