package dev.vigil.checks.internal;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import org.jspecify.annotations.Nullable;

/**
 * One field of a rule, compiled twice: CEL's program, and where the expression allows, its {@link
 * JavaForm}. The form answers first; wherever it is not sure of CEL's answer, CEL's interpreter
 * evaluates, so values and error messages are CEL's. Immutable and thread-safe.
 */
final class Expression {

    private final CelRuntime.Program program;
    private final @Nullable JavaForm form;

    Expression(CelRuntime.Program program, @Nullable JavaForm form) {
        this.program = program;
        this.form = form;
    }

    /** The same expression evaluated by CEL's interpreter alone. */
    Expression interpreted() {
        return form == null ? this : new Expression(program, null);
    }

    boolean hasJavaForm() {
        return form != null;
    }

    /** Whether the form has operands without a form of their own, where CEL takes over. */
    boolean hasPartialJavaForm() {
        return form != null && form.uncoveredParts() > 0;
    }

    Object eval(CelVariableResolver vars) throws CelEvaluationException {
        if (form != null) {
            try {
                return form.eval(vars);
            } catch (RuntimeException outside) {
                // JavaForm.Fallback, or an operation's own exception: CEL gives the answer or
                // the error, and its message
            }
        }
        return program.eval(vars);
    }
}
