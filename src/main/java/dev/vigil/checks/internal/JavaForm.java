package dev.vigil.checks.internal;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import dev.cel.runtime.CelVariableResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A checked CEL expression turned into a tree of Java closures, for the subset of CEL the catalogue
 * is written in: constants (string, bool, int), variables, field selection, {@code has}, the
 * optional syntax ({@code ?.}, {@code [?]}, {@code orValue}, {@code hasValue}), the logical and
 * comparison operators, {@code in}, indexing, {@code +} and {@code -}, the macros ({@code exists},
 * {@code all}, {@code exists_one}, {@code filter}, {@code map}, {@code cel.bind}: comprehensions
 * over lists), a few string functions and Vigil's own ({@link JavaFormOps}).
 *
 * <p>The form answers only where it is sure to give CEL's answer. An expression using anything else
 * (timestamps, durations, maps built in the expression, arithmetic beyond {@code +} and {@code -})
 * gets no form at all ({@link #compile} returns null); an evaluation meeting anything its
 * operations do not cover (a value of another type, an absent key, a CEL error) throws, and {@link
 * Expression} then asks CEL's interpreter, which gives the answer or the error message. So the form
 * never has to mirror CEL's error handling, only its values, and a differential test over the
 * fixtures and mutated documents holds it to that.
 *
 * <p>Why: the legacy interpreter's per-node bookkeeping (argument arrays, overload and type
 * lookups, unknown tracking) is about half of a catalogue evaluation ({@code
 * docs/perf/2026-12-06-cel-interpreter.md}); a closure per node does none of it.
 */
final class JavaForm {

    /** One node of the form. */
    @FunctionalInterface
    interface Node {
        Object eval(Frame f);
    }

    /** The variables of one evaluation: the resolver's, plus the comprehensions' slots. */
    static final class Frame {
        final CelVariableResolver vars;
        final Object[] slots;

        Frame(CelVariableResolver vars, int slots) {
            this.vars = vars;
            this.slots = slots == 0 ? NO_SLOTS : new Object[slots];
        }

        private static final Object[] NO_SLOTS = new Object[0];
    }

    /**
     * Thrown where the form cannot be sure of CEL's answer; the caller evaluates with CEL. One
     * shared instance without a stack trace: it is control flow, never reported.
     */
    static final class Fallback extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings("StaticAssignmentOfThrowable") // stackless and immutable: control flow
        static final Fallback INSTANCE = new Fallback();

        private Fallback() {
            super("outside the Java form; CEL decides", null, false, false);
        }
    }

    /** The expression uses something the form does not cover. */
    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String what) {
            super(what, null, false, false);
        }
    }

    private final Node root;
    private final int slots;
    private final int appendingLoops;
    private final int uncovered;

    private JavaForm(Node root, int slots, int appendingLoops, int uncovered) {
        this.root = root;
        this.slots = slots;
        this.appendingLoops = appendingLoops;
        this.uncovered = uncovered;
    }

    /** How many of the expression's comprehensions append to their result in place. */
    int appendingLoops() {
        return appendingLoops;
    }

    /**
     * How many operands have no form and hand the expression to CEL when reached ({@link
     * Builder#nodeOrFallback}).
     */
    int uncoveredParts() {
        return uncovered;
    }

    /** The form of a checked expression, or null when it uses anything the form does not cover. */
    static @Nullable JavaForm compile(CelAbstractSyntaxTree ast) {
        try {
            Builder b = new Builder(ast);
            Node root = b.node(ast.getExpr());
            return new JavaForm(root, b.maxSlots, b.appendingLoops, b.uncovered);
        } catch (Unsupported e) {
            return null;
        }
    }

    /**
     * Evaluates the form.
     *
     * @throws RuntimeException ({@link Fallback} or any other) when CEL must decide
     */
    Object eval(CelVariableResolver vars) {
        Object out = root.eval(new Frame(vars, slots));
        if (out instanceof Optional<?>) {
            throw Fallback.INSTANCE; // CEL's optional value type is its own business
        }
        return out;
    }

    /** Builds nodes, keeping the comprehension variables in scope as numbered slots. */
    static final class Builder {
        private final CelAbstractSyntaxTree ast;
        // slot i holds scope.get(i); null marks a variable out of scope (a loop's iteration
        // variable inside its result)
        private final List<@Nullable String> scope = new ArrayList<>();
        int maxSlots;
        int appendingLoops;
        int uncovered;

        Builder(CelAbstractSyntaxTree ast) {
            this.ast = ast;
        }

        Node node(CelExpr e) throws Unsupported {
            return switch (e.getKind()) {
                case CONSTANT -> constant(e.constant());
                case IDENT -> ident(e);
                case SELECT -> select(e);
                case CALL -> JavaFormCalls.call(this, e);
                case LIST -> list(e);
                case COMPREHENSION -> comprehension(e.comprehension());
                default -> throw new Unsupported(e.getKind().toString());
            };
        }

        /**
         * The form of an operand evaluation may not reach (the right side of {@code &&} and {@code
         * ||}, the branches of {@code ?:}), or, when it has none, a node that hands the whole
         * expression to CEL if it is reached: an expression whose uncovered part is seldom reached
         * (a timestamp compared only while a zone is under attack) is answered here the rest of the
         * time.
         */
        Node nodeOrFallback(CelExpr e) throws Unsupported {
            int depth = scope.size();
            try {
                return node(e);
            } catch (Unsupported x) {
                while (scope.size() > depth) {
                    scope.removeLast(); // a comprehension left its variables in scope
                }
                uncovered++;
                return f -> {
                    throw Fallback.INSTANCE;
                };
            }
        }

        List<Node> nodes(List<CelExpr> es) throws Unsupported {
            List<Node> out = new ArrayList<>(es.size());
            for (CelExpr e : es) {
                out.add(node(e));
            }
            return out;
        }

        private static Node constant(CelConstant c) throws Unsupported {
            Object v =
                    switch (c.getKind()) {
                        case STRING_VALUE -> c.stringValue();
                        case BOOLEAN_VALUE -> Boolean.valueOf(c.booleanValue());
                        case INT64_VALUE -> Long.valueOf(c.int64Value());
                        default -> throw new Unsupported("constant " + c.getKind());
                    };
            return f -> v;
        }

        private Node ident(CelExpr e) throws Unsupported {
            String name = e.ident().name();
            for (int i = scope.size() - 1; i >= 0; i--) {
                if (name.equals(scope.get(i))) {
                    int slot = i;
                    return f -> f.slots[slot];
                }
            }
            Optional<CelReference> ref = ast.getReference(e.id());
            if (ref.isPresent()
                    && (ref.get().value().isPresent() || !ref.get().name().equals(name))) {
                throw new Unsupported("qualified or constant identifier " + name);
            }
            return f -> {
                Optional<Object> v = f.vars.find(name);
                if (v.isEmpty()) {
                    throw Fallback.INSTANCE;
                }
                return v.get();
            };
        }

        private Node select(CelExpr e) throws Unsupported {
            if (ast.getReference(e.id()).isPresent()) {
                throw new Unsupported("qualified name " + e.select().field());
            }
            Node operand = node(e.select().operand());
            String field = e.select().field();
            if (e.select().testOnly()) {
                return f -> JavaFormOps.has(operand.eval(f), field);
            }
            return f -> JavaFormOps.field(operand.eval(f), field);
        }

        private Node list(CelExpr e) throws Unsupported {
            if (!e.list().optionalIndices().isEmpty()) {
                throw new Unsupported("optional list elements");
            }
            List<CelExpr> elements = e.list().elements();
            if (elements.stream().allMatch(x -> x.getKind() == CelExpr.ExprKind.Kind.CONSTANT)) {
                List<Object> values = new ArrayList<>();
                Frame none = new Frame(name -> Optional.empty(), 0);
                for (Node n : nodes(elements)) {
                    values.add(n.eval(none));
                }
                List<Object> constant = List.copyOf(values);
                return f -> constant;
            }
            List<Node> parts = nodes(elements);
            return f -> {
                List<Object> out = new ArrayList<>(parts.size());
                for (Node n : parts) {
                    out.add(n.eval(f));
                }
                return out;
            };
        }

        /**
         * A comprehension over a list (what the macros expand to). When the step only appends to
         * the accumulator ({@code accu + [e]}, or {@code c ? accu + [e] : accu}, as {@code filter}
         * and {@code map} do), the accumulator is one list appended in place: CEL's own step would
         * copy it once per element.
         */
        private Node comprehension(CelExpr.CelComprehension c) throws Unsupported {
            if (!c.iterVar2().isEmpty()) {
                throw new Unsupported("two-variable comprehension");
            }
            Node range = node(c.iterRange());
            Node init = node(c.accuInit());
            int iterSlot = push(c.iterVar());
            int accuSlot = push(c.accuVar());
            Node condition = node(c.loopCondition());
            Node append = appendStep(c, accuSlot);
            boolean appending =
                    append != null && c.accuInit().getKind() == CelExpr.ExprKind.Kind.LIST;
            Node loopStep = appending && append != null ? append : node(c.loopStep());
            appendingLoops += appending ? 1 : 0;
            scope.set(iterSlot, null);
            Node result = node(c.result());
            scope.removeLast();
            scope.removeLast();
            return f -> {
                if (!(range.eval(f) instanceof List<?> items)) {
                    throw Fallback.INSTANCE; // maps iterate their keys; CEL decides
                }
                Object accu = init.eval(f);
                if (appending) {
                    accu = new ArrayList<Object>((List<?>) accu);
                }
                f.slots[accuSlot] = accu;
                for (int i = 0; i < items.size(); i++) {
                    f.slots[iterSlot] = items.get(i);
                    if (!(condition.eval(f) instanceof Boolean go)) {
                        throw Fallback.INSTANCE;
                    }
                    if (!go) {
                        break;
                    }
                    f.slots[accuSlot] = loopStep.eval(f);
                }
                return result.eval(f);
            };
        }

        /** The in-place form of an appending step, or null when the step is anything else. */
        private @Nullable Node appendStep(CelExpr.CelComprehension c, int accuSlot)
                throws Unsupported {
            String accu = c.accuVar();
            CelExpr step = c.loopStep();
            CelExpr guard = null;
            if (isCall(step, "_?_:_") && isIdent(step.call().args().get(2), accu)) {
                guard = step.call().args().get(0);
                step = step.call().args().get(1);
            }
            if (!isCall(step, "_+_")
                    || !isIdent(step.call().args().get(0), accu)
                    || step.call().args().get(1).getKind() != CelExpr.ExprKind.Kind.LIST
                    || step.call().args().get(1).list().elements().size() != 1
                    || !step.call().args().get(1).list().optionalIndices().isEmpty()) {
                return null;
            }
            CelExpr element = step.call().args().get(1).list().elements().get(0);
            if (mentions(element, accu) || (guard != null && mentions(guard, accu))) {
                return null;
            }
            Node value = node(element);
            Node test = guard == null ? null : node(guard);
            return f -> {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) f.slots[accuSlot];
                if (test != null) {
                    if (!(test.eval(f) instanceof Boolean keep)) {
                        throw Fallback.INSTANCE;
                    }
                    if (!keep) {
                        return list;
                    }
                }
                list.add(value.eval(f));
                return list;
            };
        }

        private int push(String name) {
            scope.add(name);
            maxSlots = Math.max(maxSlots, scope.size());
            return scope.size() - 1;
        }

        private static boolean isCall(CelExpr e, String function) {
            return e.getKind() == CelExpr.ExprKind.Kind.CALL
                    && e.call().function().equals(function)
                    && e.call().target().isEmpty();
        }

        private static boolean isIdent(CelExpr e, String name) {
            return e.getKind() == CelExpr.ExprKind.Kind.IDENT && e.ident().name().equals(name);
        }

        /** Whether {@code e} reads the variable {@code name} (not a nested loop's own). */
        private static boolean mentions(CelExpr e, String name) {
            return switch (e.getKind()) {
                case CONSTANT -> false;
                case IDENT -> e.ident().name().equals(name);
                case SELECT -> mentions(e.select().operand(), name);
                case CALL ->
                        (e.call().target().isPresent() && mentions(e.call().target().get(), name))
                                || e.call().args().stream().anyMatch(a -> mentions(a, name));
                case LIST -> e.list().elements().stream().anyMatch(a -> mentions(a, name));
                case COMPREHENSION -> {
                    // a nested loop's own variables hide the name: the macros all call their
                    // accumulator the same
                    CelExpr.CelComprehension c = e.comprehension();
                    boolean accu = c.accuVar().equals(name);
                    boolean hidden = accu || c.iterVar().equals(name);
                    yield mentions(c.iterRange(), name)
                            || mentions(c.accuInit(), name)
                            || (!hidden
                                    && (mentions(c.loopCondition(), name)
                                            || mentions(c.loopStep(), name)))
                            || (!accu && mentions(c.result(), name));
                }
                default -> true; // unknown shapes: assume the worst
            };
        }
    }
}
