package dev.vigil;

import dev.vigil.checks.RuleFile;
import dev.vigil.checks.RuleSetException;
import dev.vigil.checks.RuleSets;
import dev.vigil.config.Env;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code vigil rules …}: the rule rollout (docs/rules.md, "Rolling out rule changes") through the
 * API at {@code VIGIL_API_URL} with the admin token {@code VIGIL_ADMIN_TOKEN}. Each subcommand is
 * one API call; exit 0 on success, 1 when the API refuses (its detail is printed), 2 on a
 * configuration error.
 */
@Command(
        name = "rules",
        description =
                "Roll out rule changes: push, shadow, diff, promote, rollback (VIGIL_API_URL,"
                        + " VIGIL_ADMIN_TOKEN).",
        subcommands = {
            RulesCommand.Push.class,
            RulesCommand.Status.class,
            RulesCommand.Shadow.class,
            RulesCommand.Diff.class,
            RulesCommand.Promote.class,
            RulesCommand.Rollback.class,
            RulesCommand.Log.class
        })
final class RulesCommand {

    /**
     * What every subcommand shares: where it reads its settings and writes its output (the
     * process's, or a test's).
     */
    abstract static class Sub implements Callable<Integer> {
        Env env = Env.system();
        PrintStream out = System.out;
        PrintStream err = System.err;

        /** Runs {@code body} against the API, printing a refusal instead of a stack trace. */
        int run(Body body) {
            try (RulesClient api = RulesClient.from(env)) {
                body.run(api, out);
                return 0;
            } catch (RulesClient.RulesCommandException | RuleSetException e) {
                err.println("vigil rules: " + e.getMessage());
                return 1;
            }
        }
    }

    @FunctionalInterface
    interface Body {
        void run(RulesClient api, PrintStream out);
    }

    @Command(
            name = "push",
            description =
                    "Store the catalogue plus DIR's rule files as a new version (changes nothing"
                            + " until promoted).")
    static final class Push extends Sub {
        @Parameters(index = "0", paramLabel = "DIR", description = "a directory of rule files")
        Path dir = Path.of(".");

        @Option(
                names = "--then",
                paramLabel = "STAGE",
                description =
                        "after the push: shadow (evaluate it beside the active version) or"
                                + " activate (promote it to 100 %); nothing when the version is"
                                + " already there, so a deployment can run it on every upgrade")
        @Nullable String then;

        @Override
        public Integer call() {
            return run(
                    (api, out) -> {
                        if (then != null && !then.equals("shadow") && !then.equals("activate")) {
                            throw new RulesClient.RulesCommandException(
                                    "--then takes shadow or activate, not " + then);
                        }
                        List<RuleFile> files = RuleSets.files(dir);
                        // compiled here first: a broken rule is named before anything is sent
                        RuleSets.withUserFiles(files);
                        JsonNode r = api.post("v1/rule-sets", Map.of("files", files));
                        out.printf(
                                Locale.ROOT,
                                "%s %s (%d checks, %d files from %s)%n",
                                r.path("created").asBoolean() ? "pushed" : "already stored:",
                                r.path("version").asString(),
                                r.path("checks").asInt(),
                                files.size(),
                                dir);
                        if (then != null) {
                            stage(api, out, r.path("version").asString(), then);
                        }
                    });
        }

        /** Moves {@code version} to {@code stage} unless it is there already. */
        private static void stage(RulesClient api, PrintStream out, String version, String stage) {
            JsonNode ro = api.get("v1/rule-sets/rollout").path("rollout");
            if (version.equals(text(ro, "active"))) {
                out.println(version + " is already active");
            } else if (stage.equals("shadow") && version.equals(text(ro, "candidate"))) {
                out.println(version + " is already the candidate (" + text(ro, "stage") + ")");
            } else if (stage.equals("shadow")) {
                api.post("v1/rule-sets/" + version + "/shadow", null);
                printShadowing(out, version);
            } else {
                // with a version active, only the candidate can be promoted: shadow first
                if (!text(ro, "active").equals("none") && !version.equals(text(ro, "candidate"))) {
                    api.post("v1/rule-sets/" + version + "/shadow", null);
                }
                JsonNode r =
                        api.post("v1/rule-sets/" + version + "/promote", Map.of("percent", 100));
                printActive(out, version, r);
            }
        }
    }

    @Command(name = "status", description = "The rollout in force and the versions workers hold.")
    static final class Status extends Sub {
        @Override
        public Integer call() {
            return run(
                    (api, out) -> {
                        JsonNode r = api.get("v1/rule-sets/rollout");
                        JsonNode ro = r.path("rollout");
                        out.printf(
                                Locale.ROOT,
                                "generation %d: active %s, previous %s, candidate %s, stage %s%s,"
                                        + " rollbacks %d%n",
                                ro.path("generation").asLong(),
                                text(ro, "active"),
                                text(ro, "previous"),
                                text(ro, "candidate"),
                                ro.path("stage").asString(),
                                ro.path("percent").asInt() > 0
                                        ? " " + ro.path("percent").asInt() + " %"
                                        : "",
                                ro.path("rollbacks").asLong());
                        for (JsonNode w : r.path("workers")) {
                            out.printf(
                                    Locale.ROOT,
                                    "  worker %s: generation %d, holds %s (seen %s)%n",
                                    w.path("worker_id").asString(),
                                    w.path("generation").asLong(),
                                    w.path("versions"),
                                    w.path("seen_at").asString());
                        }
                    });
        }
    }

    @Command(
            name = "shadow",
            description =
                    "Evaluate VERSION beside the active one on every scan; no insight changes.")
    static final class Shadow extends Sub {
        @Parameters(index = "0", paramLabel = "VERSION")
        String version = "";

        @Override
        public Integer call() {
            return run(
                    (api, out) -> {
                        api.post("v1/rule-sets/" + version + "/shadow", null);
                        printShadowing(out, version);
                    });
        }
    }

    @Command(
            name = "diff",
            description =
                    "Per check, what the candidate would open and resolve compared to the active"
                            + " version, with example targets.")
    static final class Diff extends Sub {
        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "VERSION",
                description = "default: the candidate")
        @Nullable String version;

        @Override
        public Integer call() {
            return run(
                    (api, out) -> {
                        String v = version;
                        if (v == null) {
                            v = text(api.get("v1/rule-sets/rollout").path("rollout"), "candidate");
                            if (v.equals("none")) {
                                throw new RulesClient.RulesCommandException(
                                        "there is no candidate: name a VERSION");
                            }
                        }
                        JsonNode d = api.get("v1/rule-sets/" + v + "/diff");
                        out.printf(
                                Locale.ROOT,
                                "%s against %s over %d shadow scans: would open %d, would resolve"
                                        + " %d%n",
                                v,
                                text(d, "active"),
                                d.path("scans").asLong(),
                                d.path("would_open").asLong(),
                                d.path("would_resolve").asLong());
                        for (JsonNode c : d.path("checks")) {
                            out.printf(
                                    Locale.ROOT,
                                    "  %-40s open %8d  resolve %8d%n",
                                    c.path("check_id").asString(),
                                    c.path("would_open").asLong(),
                                    c.path("would_resolve").asLong());
                            for (JsonNode e : c.path("examples")) {
                                out.printf(
                                        Locale.ROOT,
                                        "      %-7s %s (%s)%n",
                                        e.path("change").asString(),
                                        e.path("target_id").asString(),
                                        e.path("resource_key").asString());
                            }
                        }
                    });
        }
    }

    @Command(
            name = "promote",
            description =
                    "Apply the candidate to a stable hash-chosen share of the targets (1, 10, 50),"
                            + " or make it active (100).")
    static final class Promote extends Sub {
        @Parameters(index = "0", paramLabel = "VERSION")
        String version = "";

        @Option(names = "--percent", required = true, description = "1, 10, 50 or 100")
        int percent;

        @Option(names = "--min-targets", description = "guards wait for this many canary targets")
        @Nullable Integer minTargets;

        @Option(
                names = "--max-error-rate",
                description = "a check's ERROR share may exceed the rest's by this much (0..1)")
        @Nullable Double maxErrorRate;

        @Option(
                names = "--max-opened-per-target",
                description = "insights opened per canary target beyond the rest's")
        @Nullable Double maxOpened;

        @Option(
                names = "--max-eval-time-ratio",
                description = "evaluation time per scan, times the rest's")
        @Nullable Double maxEvalRatio;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("percent", percent);
            // a guard left out keeps the API's default
            putIfSet(body, "min_targets", minTargets);
            putIfSet(body, "max_error_rate", maxErrorRate);
            putIfSet(body, "max_opened_per_target", maxOpened);
            putIfSet(body, "max_eval_time_ratio", maxEvalRatio);
            return run(
                    (api, out) -> {
                        JsonNode r = api.post("v1/rule-sets/" + version + "/promote", body);
                        if (percent == 100) {
                            printActive(out, version, r);
                        } else {
                            out.println(version + " applies to " + percent + " % of the targets");
                        }
                    });
        }

        private static void putIfSet(Map<String, Object> body, String key, @Nullable Object value) {
            if (value != null) {
                body.put(key, value);
            }
        }
    }

    @Command(
            name = "rollback",
            description =
                    "Drop the candidate (or undo the last promotion to 100) and re-evaluate the"
                            + " targets it changed.")
    static final class Rollback extends Sub {
        @Option(names = "--reason", description = "recorded in the audit log")
        @Nullable String reason;

        @Override
        public Integer call() {
            return run(
                    (api, out) -> {
                        JsonNode r =
                                api.post(
                                        "v1/rule-sets/rollback",
                                        reason == null ? Map.of() : Map.of("reason", reason));
                        out.printf(
                                Locale.ROOT,
                                "rolled back: active %s, %d targets to re-evaluate%n",
                                text(r, "active"),
                                r.path("pending_reevaluation").asInt());
                    });
        }
    }

    @Command(name = "log", description = "The rollout's audit entries, newest first.")
    static final class Log extends Sub {
        @Override
        public Integer call() {
            return run(
                    (api, out) -> {
                        for (JsonNode e : api.get("v1/rule-sets/audit")) {
                            out.printf(
                                    Locale.ROOT,
                                    "%s %-22s by %-16s %s%n",
                                    e.path("at").asString(),
                                    e.path("action").asString(),
                                    e.path("changed_by").asString(),
                                    e.path("detail"));
                        }
                    });
        }
    }

    /**
     * What {@code shadow} and {@code push --then shadow} print once {@code version} is shadowed.
     */
    private static void printShadowing(PrintStream out, String version) {
        out.println("shadowing " + version + " (see: vigil rules diff)");
    }

    /**
     * What {@code promote --percent 100} and {@code push --then activate} print once {@code
     * version} is active, from the promotion's reply {@code promoted}.
     */
    private static void printActive(PrintStream out, String version, JsonNode promoted) {
        out.println(version + " is active (previous: " + text(promoted, "previous") + ")");
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "none" : v.asString();
    }
}
