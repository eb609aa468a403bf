package dev.vigil.checks.internal;

import dev.cel.common.ast.CelExpr;
import dev.vigil.checks.internal.JavaForm.Fallback;
import dev.vigil.checks.internal.JavaForm.Node;
import dev.vigil.checks.internal.JavaForm.Unsupported;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The calls of {@link JavaForm}: operators, macros' helpers and functions, each by its CEL name.
 * The logical operators evaluate their right side only when the left does not decide, which is
 * CEL's answer whenever the left side has a value (an error on the left makes the form fall back).
 */
final class JavaFormCalls {

    private JavaFormCalls() {}

    static Node call(JavaForm.Builder b, CelExpr e) throws Unsupported {
        CelExpr.CelCall call = e.call();
        String fn = call.function();
        List<CelExpr> in = call.args();
        List<Node> args =
                switch (fn) {
                    case "_&&_", "_||_" ->
                            in.size() == 2
                                    ? List.of(b.node(in.get(0)), b.nodeOrFallback(in.get(1)))
                                    : b.nodes(in);
                    case "_?_:_" ->
                            in.size() == 3
                                    ? List.of(
                                            b.node(in.get(0)),
                                            b.nodeOrFallback(in.get(1)),
                                            b.nodeOrFallback(in.get(2)))
                                    : b.nodes(in);
                    default -> b.nodes(in);
                };
        if (call.target().isPresent()) {
            return member(fn, b.node(call.target().get()), args);
        }
        int arity =
                switch (fn) {
                    case "!_", "@not_strictly_false" -> 1;
                    case "_?_:_" -> 3;
                    case "_&&_", "_||_", "_?._" -> 2;
                    default -> args.size(); // the others check their own
                };
        if (args.size() != arity) {
            throw new Unsupported(fn + " with " + args.size() + " arguments");
        }
        return switch (fn) {
            case "_&&_" -> {
                Node l = args.get(0);
                Node r = args.get(1);
                yield f -> JavaFormOps.bool(l.eval(f)) ? JavaFormOps.bool(r.eval(f)) : false;
            }
            case "_||_" -> {
                Node l = args.get(0);
                Node r = args.get(1);
                yield f -> JavaFormOps.bool(l.eval(f)) ? true : JavaFormOps.bool(r.eval(f));
            }
            case "!_" -> {
                Node x = args.get(0);
                yield f -> !JavaFormOps.bool(x.eval(f));
            }
            case "@not_strictly_false" -> {
                Node x = args.get(0);
                yield f -> JavaFormOps.bool(x.eval(f));
            }
            case "_?_:_" -> {
                Node c = args.get(0);
                Node t = args.get(1);
                Node o = args.get(2);
                yield f -> JavaFormOps.bool(c.eval(f)) ? t.eval(f) : o.eval(f);
            }
            case "_==_" -> binary(args, (a, c) -> JavaFormOps.equal(a, c));
            case "_!=_" -> binary(args, (a, c) -> !JavaFormOps.equal(a, c));
            case "_<_" -> binary(args, (a, c) -> JavaFormOps.compare(a, c) < 0);
            case "_<=_" -> binary(args, (a, c) -> JavaFormOps.compare(a, c) <= 0);
            case "_>_" -> binary(args, (a, c) -> JavaFormOps.compare(a, c) > 0);
            case "_>=_" -> binary(args, (a, c) -> JavaFormOps.compare(a, c) >= 0);
            case "_+_" -> binary(args, JavaFormOps::add);
            case "_-_" -> binary(args, JavaFormOps::subtract);
            case "@in" -> binary(args, JavaFormOps::in);
            case "_[_]" -> binary(args, JavaFormOps::index);
            case "_[?_]" -> binary(args, JavaFormOps::optionalIndex);
            case "_?._" -> {
                if (call.args().get(1).getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
                    throw new Unsupported("computed optional field");
                }
                Node operand = args.get(0);
                String field = call.args().get(1).constant().stringValue();
                yield f -> JavaFormOps.optionalField(operand.eval(f), field);
            }
            case "size" -> unary(args, JavaFormOps::size);
            case "string" -> unary(args, x -> JavaFormOps.string(x));
            case "fqdn" -> unary(args, x -> IpAddresses.fqdn(JavaFormOps.string(x)));
            case "txt_norm" -> unary(args, x -> IpAddresses.txtNorm(JavaFormOps.string(x)));
            case "is_private_ip" -> unary(args, x -> IpAddresses.isPrivate(JavaFormOps.string(x)));
            case "is_public_ip" -> unary(args, x -> IpAddresses.isPublic(JavaFormOps.string(x)));
            default -> throw new Unsupported("function " + fn);
        };
    }

    /** Receiver-style calls: {@code x.f(args)}. */
    private static Node member(String fn, Node target, List<Node> args) throws Unsupported {
        return switch (fn + "/" + args.size()) {
            case "orValue/1" -> {
                Node fallback = args.get(0);
                yield f -> {
                    Object o = target.eval(f);
                    Object alternative = fallback.eval(f); // CEL evaluates it either way
                    if (!(o instanceof Optional<?> opt)) {
                        throw Fallback.INSTANCE;
                    }
                    return opt.isPresent() ? opt.get() : alternative;
                };
            }
            case "hasValue/0" ->
                    f -> {
                        if (!(target.eval(f) instanceof Optional<?> opt)) {
                            throw Fallback.INSTANCE;
                        }
                        return opt.isPresent();
                    };
            case "size/0" -> f -> JavaFormOps.size(target.eval(f));
            case "lowerAscii/0" -> f -> JavaFormOps.lowerAscii(JavaFormOps.string(target.eval(f)));
            case "upperAscii/0" -> f -> JavaFormOps.upperAscii(JavaFormOps.string(target.eval(f)));
            case "startsWith/1" -> strings(target, args.get(0), (s, p) -> s.startsWith(p));
            case "endsWith/1" -> strings(target, args.get(0), (s, p) -> s.endsWith(p));
            case "contains/1" -> strings(target, args.get(0), (s, p) -> s.contains(p));
            case "split/1" -> strings(target, args.get(0), JavaFormOps::split);
            case "join/0" -> f -> JavaFormOps.join(target.eval(f), "");
            case "join/1" -> {
                Node separator = args.get(0);
                yield f -> JavaFormOps.join(target.eval(f), JavaFormOps.string(separator.eval(f)));
            }
            case "replace/2" -> {
                Node from = args.get(0);
                Node to = args.get(1);
                yield f ->
                        JavaFormOps.replace(
                                JavaFormOps.string(target.eval(f)),
                                JavaFormOps.string(from.eval(f)),
                                JavaFormOps.string(to.eval(f)));
            }
            default -> throw new Unsupported("method " + fn);
        };
    }

    private static Node unary(List<Node> args, Function<Object, Object> op) throws Unsupported {
        if (args.size() != 1) {
            throw new Unsupported(args.size() + " arguments");
        }
        Node x = args.get(0);
        return f -> op.apply(x.eval(f));
    }

    private static Node binary(
            List<Node> args, java.util.function.BiFunction<Object, Object, Object> op)
            throws Unsupported {
        if (args.size() != 2) {
            throw new Unsupported(args.size() + " arguments");
        }
        Node l = args.get(0);
        Node r = args.get(1);
        return f -> op.apply(l.eval(f), r.eval(f));
    }

    private static Node strings(
            Node target, Node arg, java.util.function.BiFunction<String, String, Object> op) {
        return f -> op.apply(JavaFormOps.string(target.eval(f)), JavaFormOps.string(arg.eval(f)));
    }
}
