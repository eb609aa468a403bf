package dev.vigil.checks.internal;

import dev.cel.runtime.CelEvaluationException;
import dev.vigil.checks.CheckDefinition;
import dev.vigil.checks.CheckResult;
import dev.vigil.checks.Finding;
import dev.vigil.inventory.TargetKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One check with its CEL programs compiled. Immutable and thread-safe (CEL programs are).
 *
 * <p>Outcome order: a section marked in {@code _errors} → ERROR with the source's reason; a missing
 * section whose {@code on_missing} is {@code error} → ERROR; any other missing section →
 * NOT_APPLICABLE; {@code applies} false → NOT_APPLICABLE; then {@code assert} (per item when the
 * check has {@code for_each}) → PASS or FAIL. Any CEL evaluation error → ERROR naming the
 * expression and, for a per-resource check, the item.
 */
public final class CompiledCheck {

    private final CheckDefinition definition;
    private final Map<String, ParsedRule.MissingPolicy> onMissing;
    private final @Nullable Expression applies;
    private final @Nullable Expression forEach;
    private final @Nullable Expression resourceKey;
    private final Expression assertion;
    private final Expression message;
    private final @Nullable Expression context;
    private final String source;

    CompiledCheck(
            ParsedRule rule,
            @Nullable Expression applies,
            @Nullable Expression forEach,
            @Nullable Expression resourceKey,
            Expression assertion,
            Expression message,
            @Nullable Expression context) {
        this(
                rule.definition(),
                Map.copyOf(rule.onMissing()),
                applies,
                forEach,
                resourceKey,
                assertion,
                message,
                context,
                rule.source().name());
    }

    private CompiledCheck(
            CheckDefinition definition,
            Map<String, ParsedRule.MissingPolicy> onMissing,
            @Nullable Expression applies,
            @Nullable Expression forEach,
            @Nullable Expression resourceKey,
            Expression assertion,
            Expression message,
            @Nullable Expression context,
            String source) {
        this.definition = definition;
        this.onMissing = onMissing;
        this.applies = applies;
        this.forEach = forEach;
        this.resourceKey = resourceKey;
        this.assertion = assertion;
        this.message = message;
        this.context = context;
        this.source = source;
    }

    /**
     * This check evaluated by CEL's interpreter alone, without the Java forms of its expressions:
     * the baseline the benchmark and the differential tests compare with.
     */
    public CompiledCheck interpreted() {
        return new CompiledCheck(
                definition,
                onMissing,
                applies == null ? null : applies.interpreted(),
                forEach == null ? null : forEach.interpreted(),
                resourceKey == null ? null : resourceKey.interpreted(),
                assertion.interpreted(),
                message.interpreted(),
                context == null ? null : context.interpreted(),
                source);
    }

    /** The fields of this check that CEL's interpreter evaluates alone (no Java form), in order. */
    public List<String> fieldsWithoutJavaForm() {
        return fields(e -> !e.hasJavaForm());
    }

    /**
     * The fields whose Java form hands the expression to CEL when it reaches an operand it has no
     * form for, in order.
     */
    public List<String> fieldsWithPartialJavaForm() {
        return fields(Expression::hasPartialJavaForm);
    }

    private List<String> fields(java.util.function.Predicate<Expression> which) {
        List<String> out = new ArrayList<>();
        String[] names = {"applies", "for_each", "resource_key", "assert", "message", "context"};
        Expression[] fields = {applies, forEach, resourceKey, assertion, message, context};
        for (int i = 0; i < names.length; i++) {
            if (fields[i] != null && which.test(fields[i])) {
                out.add(names[i]);
            }
        }
        return out;
    }

    public CheckDefinition definition() {
        return definition;
    }

    public String id() {
        return definition.id();
    }

    /** Evaluates this check on one prepared document; never throws for bad documents. */
    public CheckResult evaluate(DocumentContext ctx) {
        String id = id();
        boolean missing = false;
        for (String section : definition.reads()) {
            String denied = ctx.permissionError(section);
            if (denied != null) {
                return CheckResult.error(id, "section '" + section + "' unavailable: " + denied);
            }
            if (!ctx.has(section)) {
                ParsedRule.MissingPolicy policy = onMissing.get(section);
                if (policy == ParsedRule.MissingPolicy.OPTIONAL) {
                    continue;
                }
                if (policy == ParsedRule.MissingPolicy.ERROR) {
                    return CheckResult.error(
                            id, "section '" + section + "' missing from the document");
                }
                missing = true;
            }
        }
        if (missing) {
            return CheckResult.notApplicable(id);
        }
        String stage = "applies";
        try {
            if (applies != null && !Boolean.TRUE.equals(applies.eval(ctx))) {
                return CheckResult.notApplicable(id);
            }
            String wide = definition.appliesTo() == TargetKind.ZONE ? "zone" : "account";
            if (forEach == null) {
                stage = "assert";
                if (Boolean.TRUE.equals(assertion.eval(ctx))) {
                    return CheckResult.pass(id);
                }
                stage = "message";
                String text = asString(message.eval(ctx), stage);
                stage = "context";
                return CheckResult.fail(id, List.of(new Finding(id, wide, text, contextOf(ctx))));
            }
            return perItem(ctx);
        } catch (CelEvaluationException | RuntimeException e) {
            return CheckResult.error(id, stage + " failed: " + e.getMessage());
        }
    }

    private CheckResult perItem(DocumentContext ctx) {
        String id = id();
        Object items;
        try {
            items = java.util.Objects.requireNonNull(forEach).eval(ctx);
        } catch (CelEvaluationException | RuntimeException e) {
            return CheckResult.error(id, "for_each failed: " + e.getMessage());
        }
        if (!(items instanceof List<?> list)) {
            return CheckResult.error(id, "for_each must yield a list, got " + typeOf(items));
        }
        List<Finding> findings = new ArrayList<>();
        ItemResolver vars = new ItemResolver(ctx);
        for (int i = 0; i < list.size(); i++) {
            vars.item = list.get(i);
            String stage = "assert";
            try {
                if (Boolean.TRUE.equals(assertion.eval(vars))) {
                    continue;
                }
                stage = "resource_key";
                String key =
                        asString(java.util.Objects.requireNonNull(resourceKey).eval(vars), stage);
                stage = "message";
                String text = asString(message.eval(vars), stage);
                stage = "context";
                findings.add(new Finding(id, key, text, contextOf(vars)));
            } catch (CelEvaluationException | RuntimeException e) {
                return CheckResult.error(
                        id, stage + " failed on item " + i + ": " + e.getMessage());
            }
        }
        return findings.isEmpty() ? CheckResult.pass(id) : CheckResult.fail(id, findings);
    }

    /**
     * The finding's offending values from the rule's {@code context} expression: strings as they
     * are, other values by their string form; capped at {@link Finding#MAX_CONTEXT_VALUES} values
     * of {@link Finding#MAX_CONTEXT_VALUE_CHARS} characters (a longer value is cut and ends in
     * {@code …}), so one misbehaving rule cannot make a result the API refuses.
     */
    private List<String> contextOf(dev.cel.runtime.CelVariableResolver vars)
            throws CelEvaluationException {
        if (context == null) {
            return List.of();
        }
        Object value = context.eval(vars);
        if (!(value instanceof List<?> list)) {
            throw new IllegalStateException("context must yield a list, got " + typeOf(value));
        }
        int n = Math.min(list.size(), Finding.MAX_CONTEXT_VALUES);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Object v = list.get(i);
            String s = v instanceof String str ? str : String.valueOf(v);
            if (s.length() > Finding.MAX_CONTEXT_VALUE_CHARS) {
                s = s.substring(0, Finding.MAX_CONTEXT_VALUE_CHARS - 1) + "\u2026";
            }
            out.add(s);
        }
        return out;
    }

    private static String asString(Object value, String field) {
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalStateException(field + " must yield a string, got " + typeOf(value));
    }

    private static String typeOf(@Nullable Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return id() + " (" + source + ")";
    }

    /** Adds {@code item} to the document's variables; reused across the items of one check. */
    private static final class ItemResolver implements dev.cel.runtime.CelVariableResolver {
        private final DocumentContext ctx;
        private @Nullable Object item;

        ItemResolver(DocumentContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Optional<Object> find(String name) {
            return CelEnvironment.ITEM.equals(name) ? Optional.ofNullable(item) : ctx.find(name);
        }
    }
}
