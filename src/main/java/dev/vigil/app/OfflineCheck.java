package dev.vigil.app;

import dev.vigil.api.ExportRule;
import dev.vigil.api.Exports;
import dev.vigil.api.InsightView;
import dev.vigil.checks.BrokenDocumentException;
import dev.vigil.checks.CheckDefinition;
import dev.vigil.checks.CheckResult;
import dev.vigil.checks.ConfigDocuments;
import dev.vigil.checks.Evaluation;
import dev.vigil.checks.Finding;
import dev.vigil.checks.Outcome;
import dev.vigil.checks.RuleSet;
import dev.vigil.checks.Severity;
import dev.vigil.inventory.TargetKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code vigil check}: evaluates account or zone documents offline, like a linter in CI. Every
 * document gets the whole catalogue; the report is a table for people, or JSON, CSV, SARIF or OCSF
 * (the same writers as the API's exports) for tools.
 */
public final class OfflineCheck {
    /** Exit code when findings reach {@code --fail-on}. */
    public static final int EXIT_FINDINGS = 1;

    /** Exit code when an input cannot be read or is not a configuration document. */
    public static final int EXIT_BAD_INPUT = 2;

    private final RuleSet rules;
    private final @Nullable TargetKind forcedKind;

    public OfflineCheck(RuleSet rules, @Nullable TargetKind forcedKind) {
        this.rules = rules;
        this.forcedKind = forcedKind;
    }

    /**
     * One evaluated document.
     *
     * @param sectionErrors the document's {@code _errors}: each section the source could not read,
     *     with the reason (the checks reading it are ERROR)
     */
    public record Report(
            String source,
            TargetKind kind,
            String subject,
            @Nullable String accountId,
            @Nullable String zoneId,
            Map<String, String> sectionErrors,
            Evaluation evaluation) {
        public Report {
            sectionErrors = Map.copyOf(sectionErrors);
        }
    }

    /** An input that could not be evaluated, with the reason. */
    public static final class BadInputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BadInputException(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Reads and evaluates one document; {@code "-"} reads standard input.
     *
     * @throws BadInputException naming the source and what is wrong with it
     */
    public Report evaluate(String source, InputStream stdin) {
        byte[] bytes;
        try {
            bytes = "-".equals(source) ? stdin.readAllBytes() : Files.readAllBytes(Path.of(source));
        } catch (NoSuchFileException e) {
            throw new BadInputException(source + ": no such file", e);
        } catch (IOException e) {
            throw new BadInputException(source + ": cannot read: " + e.getMessage(), e);
        }
        return evaluate(source, bytes);
    }

    /**
     * Evaluates one document given as JSON bytes (a fetched one, for {@code vigil scan}).
     *
     * @throws BadInputException naming the source and what is wrong with the document
     */
    public Report evaluate(String source, byte[] bytes) {
        Map<String, Object> doc;
        try {
            doc = ConfigDocuments.parse(bytes);
        } catch (BrokenDocumentException e) {
            throw new BadInputException(source + ": " + e.getMessage(), e);
        }
        TargetKind kind = kindOf(source, doc);
        String accountId;
        String zoneId = null;
        String subject;
        if (kind == TargetKind.ZONE) {
            Map<?, ?> zone = section(doc, "zone");
            zoneId = str(zone, "id");
            accountId = str(zone, "account_id");
            subject = firstNonNull(str(zone, "name"), source);
        } else {
            Map<?, ?> account = section(doc, "account");
            accountId = str(account, "id");
            subject = firstNonNull(str(account, "name"), source);
        }
        Map<String, String> errors = new TreeMap<>();
        section(doc, "_errors").forEach((k, v) -> errors.put(String.valueOf(k), String.valueOf(v)));
        return new Report(
                source, kind, subject, accountId, zoneId, errors, rules.evaluate(kind, doc));
    }

    private TargetKind kindOf(String source, Map<String, Object> doc) {
        if (forcedKind != null) {
            return forcedKind;
        }
        boolean zone = doc.containsKey("zone");
        boolean account = doc.containsKey("account");
        if (zone == account) {
            throw new BadInputException(
                    source
                            + ": cannot tell whether this is a zone or an account document ("
                            + (zone ? "it has both" : "it has neither")
                            + " a 'zone' and an 'account' section); pass --kind zone or --kind account",
                    null);
        }
        return zone ? TargetKind.ZONE : TargetKind.ACCOUNT;
    }

    /** The worst severity among the findings of these reports, or null when there is none. */
    public @Nullable Severity worst(List<Report> reports) {
        Severity worst = null;
        for (Report r : reports) {
            for (Finding f : r.evaluation().findings()) {
                Severity s = definition(f.checkId()).severity();
                if (worst == null || s.compareTo(worst) > 0) {
                    worst = s;
                }
            }
        }
        return worst;
    }

    /** Writes the reports in {@code format}: {@code table} or one of {@link Exports#FORMATS}. */
    public void write(List<Report> reports, String format, PrintStream out) {
        try {
            switch (format) {
                case "table" -> CheckTable.write(reports, rules, out);
                case "json" -> CheckTable.writeJson(reports, rules, out);
                default -> Exports.write(format, exportRules(reports), insights(reports), out);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<ExportRule> exportRules(List<Report> reports) {
        Map<String, ExportRule> byId = new TreeMap<>();
        for (Report r : reports) {
            for (Finding f : r.evaluation().findings()) {
                CheckDefinition d = definition(f.checkId());
                byId.putIfAbsent(
                        d.id(), new ExportRule(d.id(), d.severity().wire(), d.issueType().wire()));
            }
        }
        return List.copyOf(byId.values());
    }

    private List<InsightView> insights(List<Report> reports) {
        List<InsightView> out = new ArrayList<>();
        Instant now = Instant.now();
        long id = 1;
        for (Report r : reports) {
            for (CheckResult cr : r.evaluation().results()) {
                if (cr.outcome() != Outcome.FAIL) {
                    continue;
                }
                CheckDefinition d = definition(cr.checkId());
                for (Finding f : cr.findings()) {
                    out.add(
                            new InsightView(
                                    id++,
                                    firstNonNull(r.accountId(), "-"),
                                    r.zoneId(),
                                    d.id(),
                                    f.resourceKey(),
                                    d.severity().wire(),
                                    d.issueType().wire(),
                                    r.subject(),
                                    f.message(),
                                    "open",
                                    false,
                                    now,
                                    now,
                                    null,
                                    null,
                                    false,
                                    null,
                                    null,
                                    null,
                                    null));
                }
            }
        }
        return out;
    }

    CheckDefinition definition(String checkId) {
        return rules.check(checkId)
                .orElseThrow(() -> new IllegalStateException("no check " + checkId));
    }

    private static Map<?, ?> section(Map<String, Object> doc, String name) {
        return doc.get(name) instanceof Map<?, ?> m ? m : new LinkedHashMap<>();
    }

    private static @Nullable String str(Map<?, ?> m, String key) {
        return m.get(key) instanceof String s ? s : null;
    }

    private static String firstNonNull(@Nullable String a, String b) {
        return a != null ? a : b;
    }
}
