package dev.vigil.checks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import dev.cel.bundle.Cel;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelSource;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java form of single expressions against CEL's interpreter: where the form answers, its value
 * is CEL's; where CEL errors, the form has declined. Edge cases of each operation the form covers,
 * chosen where a Java shortcut would differ from CEL.
 */
class JavaFormTest {

    private static final Map<String, Object> DOC = doc();

    private static Map<String, Object> doc() {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", "r1");
        item.put("name", "Www.Example.COM.");
        item.put("content", "203.0.113.7");
        item.put("proxied", false);
        item.put("ttl", 300L);
        item.put("weight", 1.5);
        item.put("tags", List.of("a", "b", "a"));
        item.put("nested", Map.of("deep", Map.of("flag", true)));
        item.put("nul", NullValue.NULL_VALUE);
        item.put("emoji", "a\uD83D\uDE00b");
        item.put("mixed", List.of("off", 1L, true));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("dns_records", List.of(item, Map.of("id", "r2", "type", "TXT")));
        doc.put("dns_resolution", Map.of("www.example.com", "UNASSIGNED"));
        doc.put("settings", Map.of("ssl", "full", "big", Long.MAX_VALUE));
        doc.put("zone", Map.of("name", "example.com"));
        doc.put("item", item);
        return doc;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // selection, presence, optionals
                "answers | has(item.content)",
                "answers | has(item.missing)",
                "declines | item.missing == 'x'",
                "answers | item.?missing.orValue('d')",
                "answers | item.?nested.?deep.?flag.orValue(false)",
                "answers | item.?nested.?absent.?flag.orValue(false)",
                "answers | item.?nested.?deep.?flag.hasValue()",
                "declines | item.?content.?x.orValue('d')",
                "declines | item.?missing.orValue(item.missing)",
                "declines | item.?nul.orValue(false) == true",
                "answers | doc.dns_resolution[?'www.example.com'].orValue('')",
                "answers | doc.dns_resolution[?'nope'].orValue('')",
                // logic: short cuts that absorb an error on the right, and errors on the left
                "answers | true || item.missing == 'x'",
                "answers | false && item.missing == 'x'",
                "declines | item.missing == 'x' || true",
                "declines | item.missing == 'x' && false",
                "answers | !(item.proxied)",
                "declines | item.proxied ? 'yes' : item.missing",
                // operands without a form: CEL takes over only where they are reached
                "answers | true || item.ttl * 2 == 600",
                "declines | false || item.ttl * 2 == 600",
                "answers | false && item.ttl * 2 == 600",
                "declines | true && item.ttl * 2 == 600",
                "answers | true ? 'yes' : string(item.ttl * 2)",
                "declines | false ? 'yes' : string(item.ttl * 2)",
                "answers | false ? string(item.ttl * 2) : 'no'",
                "none | item.ttl * 2 == 600 || true",
                "none | item.ttl * 2 > 0 ? 'yes' : 'no'",
                // an uncovered loop in a branch leaves no variable behind: t is the outer one
                "answers | item.tags.map(t, false ? [1].map(t, t * 2) : [t])",
                "answers | item.tags.filter(t, t == 'a' || t == 'b' || [t].map(t, t * 2) == [2])",
                "answers | item.ttl > 299 && item.ttl <= 300 && item.ttl >= 300 && item.ttl < 301",
                "declines | item.weight > 1",
                "none | item.ttl == 300.0",
                "declines | item.ttl == 'x'",
                "none | item.nul == null",
                // membership and indexing
                "answers | item.content in ['203.0.113.7', 'x']",
                "answers | 'off' in item.mixed",
                "declines | true in item.mixed",
                "answers | fqdn(item.name) in doc.dns_resolution",
                "declines | item.ttl in doc.dns_resolution",
                "answers | item.tags[1]",
                "declines | item.tags[3]",
                "declines | item.tags[-1]",
                "declines | doc.dns_resolution['nope']",
                // arithmetic and sizes
                "answers | item.ttl + 1 - 2",
                "declines | doc.settings.big + 1",
                "answers | size(item.emoji)",
                "answers | item.emoji.size()",
                "answers | size(item.tags) + size(doc.settings)",
                "answers | 'a' + item.name + 'b'",
                "answers | item.tags + ['c']",
                "answers | item.tags.join(', ') + item.tags.join()",
                "declines | item.mixed.join(',')",
                // strings
                "answers | item.name.lowerAscii() + item.name.upperAscii()",
                "answers | 'ÄäSS'.lowerAscii() + 'straße'.upperAscii()",
                "answers | 'a;b;;'.split(';')",
                "answers | ''.split(';')",
                "declines | 'abc'.split('')",
                "answers | ';'.split(';')",
                "answers | 'v=DMARC1; p=none'.replace(' ', '').split(';')[0]",
                "declines | 'abc'.replace('', '-')",
                "answers | item.name.startsWith('Www') && item.name.endsWith('.') && item.name.contains('ample')",
                "declines | string(item.name) + string(item.ttl)",
                "answers | fqdn(item.name) + txt_norm('\"V=spf1\" \" -all\"')",
                "answers | is_public_ip(item.content) && !is_private_ip(item.content)",
                "declines | is_public_ip(item.ttl)",
                // comprehensions (macros)
                "answers | doc.dns_records.exists(r, has(r.type) && r.type == 'TXT')",
                "declines | doc.dns_records.exists(r, r.type == 'TXT')",
                "answers | doc.dns_records.all(r, has(r.id))",
                "answers | doc.dns_records.exists_one(r, r.id == 'r2')",
                "answers | doc.dns_records.filter(r, has(r.type)).map(r, r.id)",
                "answers | doc.dns_records.map(r, r.?name.orValue('?'))",
                "answers | item.tags.filter(t, t == 'a')",
                "answers | item.tags.map(t, item.tags.filter(u, u == t).size())",
                "answers | item.tags.exists(item, item == 'b')",
                "declines | doc.settings.exists(k, k == 'ssl')",
                "none | cel.bind(n, item.tags.size(), n * 2)",
                "answers | cel.bind(t, item.tags, t.filter(x, x != 'a') + t)",
                "answers | doc.dns_records.filter(r, r.id == 'r1')[0].name",
                "answers | doc.dns_records.filter(r, item.tags.exists(t, t == r.?id.orValue('')))",
                "answers | item.tags.map(x, item.tags.map(x, x + '!'))",
                "answers | item.tags.filter(x, [x].exists(y, y == 'a'))",
                "answers | [1, 2, 3].filter(x, x > 1)",
                "answers | [item.content, item.id]",
            })
    void theFormGivesCelsValueOrDeclines(String spec) {
        String expected = spec.substring(0, spec.indexOf(" | "));
        String expr = spec.substring(spec.indexOf(" | ") + 3);
        Compiled c = compile(expr);
        Object cel;
        try {
            cel = c.program.eval(vars());
        } catch (CelEvaluationException e) {
            cel = e;
        }
        Object form = c.form == null ? null : evalForm(c.form);
        String outcome =
                form == null ? "none" : form instanceof RuntimeException ? "declines" : "answers";
        assertThat(outcome).as("the form of %s (CEL: %s)", expr, cel).isEqualTo(expected);
        if (form == null || form instanceof RuntimeException) {
            return; // declined or no form: CEL answers, by construction of Expression
        }
        assertThat(cel)
                .as("CEL errored where the form answered %s", form)
                .isNotInstanceOf(CelEvaluationException.class);
        assertThat(form).as(expr).isEqualTo(cel);
    }

    @Test
    void theCataloguesExpressionsHaveFormsTimeArithmeticLeftToCel() throws IOException {
        List<String> without = new ArrayList<>();
        List<String> partial = new ArrayList<>();
        for (String path : catalogue()) {
            CompiledCheck check = CheckCompiler.compile(RuleFileParser.parse(source(path)));
            for (String field : check.fieldsWithoutJavaForm()) {
                without.add(check.id() + "." + field);
            }
            for (String field : check.fieldsWithPartialJavaForm()) {
                partial.add(check.id() + "." + field);
            }
        }
        assertThat(without).isEmpty();
        // their timestamps go to CEL, reached only for a used token or a zone under attack
        assertThat(partial)
                .containsExactlyInAnyOrder(
                        "account.token_unused.assert", "waf.under_attack_left_on.assert");
    }

    @Test
    void theFormAnswersTheCommonCasesItself() {
        // declines are correct but slow: the hot per-record expressions must be answered
        for (String expr :
                List.of(
                        "!has(item.content) || !is_public_ip(item.content)"
                                + " || item.?proxied.orValue(false) == true",
                        "!has(item.content) || !(fqdn(item.content) in doc.dns_resolution)"
                                + " || !(string(doc.dns_resolution[fqdn(item.content)])"
                                + ".lowerAscii() in ['unassigned', 'unreachable'])",
                        "doc.dns_records.filter(r, !has(r.name) || !(fqdn(r.name).startsWith('_')"
                                + " || fqdn(r.name).contains('._domainkey.')))",
                        "'A record ' + item.name + ' exposes origin ' + item.content")) {
            JavaForm form = Objects.requireNonNull(compile(expr).form, expr);
            assertThat(evalForm(form)).as(expr).isNotInstanceOf(RuntimeException.class);
        }
        assertThat(evalForm(Objects.requireNonNull(compile("item.missing == 'x'").form)))
                .isSameAs(JavaForm.Fallback.INSTANCE);
    }

    @Test
    void filterAndMapAppendInPlaceNestedOrNot() {
        // the copying step CEL's macros spell (accu + [x]) is quadratic on a large zone's records
        Map<String, Integer> loops =
                Map.of(
                        "doc.dns_records.exists(r, has(r.type))", 0,
                        "doc.dns_records.filter(r, has(r.type)).map(r, r.id)", 2,
                        "doc.dns_records.map(r, r.?ttl.orValue(0) + 1)", 1,
                        "item.tags.map(t, item.tags.filter(u, u == t).size())", 2,
                        "doc.dns_records.filter(r, item.tags.exists(t, t == r.id))", 1,
                        "cel.bind(t, item.tags, t.filter(x, x != 'a'))", 1);
        loops.forEach(
                (expr, n) ->
                        assertThat(Objects.requireNonNull(compile(expr).form).appendingLoops())
                                .as(expr)
                                .isEqualTo(n));
    }

    @Test
    void anOperatorWithAnUnexpectedNumberOfArgumentsHasNoForm() {
        // the parser writes a && b && c as nested pairs; a flattened call must not lose its third
        CelExpr t = CelExpr.ofConstant(2, CelConstant.ofValue(true));
        CelExpr f = CelExpr.ofConstant(3, CelConstant.ofValue(false));
        for (String op : List.of("_&&_", "_||_")) {
            CelExpr call = CelExpr.ofCall(1, Optional.empty(), op, ImmutableList.of(t, t, f));
            assertThat(
                            JavaForm.compile(
                                    CelAbstractSyntaxTree.newParsedAst(
                                            call, CelSource.newBuilder().build())))
                    .as(op)
                    .isNull();
        }
    }

    @Test
    void timeArithmeticHasNoForm() {
        assertThat(compile("timestamp('2026-01-01T00:00:00Z') < now").form).isNull();
        assertThat(compile("{'a': 1}.size() == 1").form).isNull();
        assertThat(compile("item.ttl * 2").form).isNull();
    }

    private record Compiled(CelRuntime.Program program, @Nullable JavaForm form) {}

    private static Compiled compile(String expr) {
        Cel cel = CelEnvironment.perItem();
        try {
            CelAbstractSyntaxTree ast = cel.compile(expr).getAst();
            return new Compiled(cel.createProgram(ast), JavaForm.compile(ast));
        } catch (Exception e) {
            throw new IllegalArgumentException(expr, e);
        }
    }

    private static Object evalForm(JavaForm form) {
        try {
            return form.eval(vars());
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static CelVariableResolver vars() {
        DocumentContext ctx = new DocumentContext(DOC, Instant.parse("2026-12-06T00:00:00Z"));
        return name ->
                CelEnvironment.ITEM.equals(name) ? Optional.of(DOC.get("item")) : ctx.find(name);
    }

    private static List<String> catalogue() throws IOException {
        return read("checks/index.txt")
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> "checks/" + l)
                .toList();
    }

    private static RuleSource source(String path) throws IOException {
        return new RuleSource(path, read(path));
    }

    private static String read(String path) throws IOException {
        try (InputStream in =
                Objects.requireNonNull(
                        JavaFormTest.class.getClassLoader().getResourceAsStream(path), path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
