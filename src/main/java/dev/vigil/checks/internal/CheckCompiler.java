package dev.vigil.checks.internal;

import dev.cel.bundle.Cel;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.runtime.CelEvaluationException;
import dev.vigil.checks.RuleSetException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Compiles and type-checks the CEL expressions of a {@link ParsedRule}. Every failure is a {@link
 * RuleSetException} naming the file, the line of the expression's first error, the field and the
 * checker's reason.
 */
public final class CheckCompiler {

    private CheckCompiler() {}

    /** Compiles one rule. */
    public static CompiledCheck compile(ParsedRule rule) {
        boolean perItem = rule.forEach() != null;
        Cel target = CelEnvironment.target();
        Cel body = perItem ? CelEnvironment.perItem() : target;
        return new CompiledCheck(
                rule,
                optional(rule, "applies", rule.applies(), target, Set.of(CelKind.BOOL)),
                optional(
                        rule,
                        "for_each",
                        rule.forEach(),
                        target,
                        Set.of(CelKind.LIST, CelKind.DYN)),
                optional(
                        rule,
                        "resource_key",
                        rule.resourceKey(),
                        body,
                        Set.of(CelKind.STRING, CelKind.DYN)),
                program(rule, "assert", rule.assertion(), body, Set.of(CelKind.BOOL)),
                program(rule, "message", rule.message(), body, Set.of(CelKind.STRING, CelKind.DYN)),
                optional(rule, "context", rule.context(), body, Set.of(CelKind.LIST, CelKind.DYN)));
    }

    private static @Nullable Expression optional(
            ParsedRule rule, String field, @Nullable String expr, Cel cel, Set<CelKind> kinds) {
        return expr == null ? null : program(rule, field, expr, cel, kinds);
    }

    private static Expression program(
            ParsedRule rule, String field, String expr, Cel cel, Set<CelKind> kinds) {
        RuleSource src = rule.source();
        CelValidationResult result = cel.compile(expr);
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (CelValidationException e) {
            CelIssue first = e.getErrors().isEmpty() ? null : e.getErrors().get(0);
            int exprLine = first == null ? 1 : Math.max(1, first.getSourceLocation().getLine());
            throw new RuleSetException(
                    src.name()
                            + ":"
                            + line(src, field, exprLine)
                            + ": field '"
                            + field
                            + "': "
                            + (first == null ? e.getMessage() : first.getMessage())
                            + " in `"
                            + expr.replace('\n', ' ')
                            + "`",
                    e);
        }
        CelType type = ast.getResultType();
        if (!kinds.contains(type.kind())) {
            throw new RuleSetException(
                    src.name()
                            + ":"
                            + line(src, field, 1)
                            + ": field '"
                            + field
                            + "': expression must be "
                            + describe(kinds)
                            + ", got "
                            + type.name()
                            + " in `"
                            + expr.replace('\n', ' ')
                            + "`");
        }
        try {
            return new Expression(cel.createProgram(ast), JavaForm.compile(ast));
        } catch (CelEvaluationException e) {
            throw new RuleSetException(
                    src.name()
                            + ":"
                            + line(src, field, 1)
                            + ": field '"
                            + field
                            + "': "
                            + e.getMessage(),
                    e);
        }
    }

    private static int line(RuleSource src, String field, int exprLine) {
        int keyLine = RuleFileParser.lineOf(src, field);
        return RuleFileParser.isBlock(src, field) ? keyLine + exprLine : keyLine + exprLine - 1;
    }

    private static String describe(Set<CelKind> kinds) {
        if (kinds.contains(CelKind.BOOL)) {
            return "bool";
        }
        return kinds.contains(CelKind.LIST) ? "a list" : "a string";
    }
}
