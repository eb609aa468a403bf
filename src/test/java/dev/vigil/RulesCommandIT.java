package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.app.Wiring;
import dev.vigil.config.Env;
import dev.vigil.testing.TestPostgres;
import dev.vigil.testing.ZoneOnFreePlanRule;
import dev.vigil.tokens.ApiTokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil rules …} against a real API over HTTP, as an operator runs it. */
class RulesCommandIT {

    static TestPostgres pg;
    static ApiServer server;
    static String admin;
    static String tenant;

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
        server =
                Wiring.api(
                        ApiServer.Options.of(ApiSettings.defaults().withPort(0), pg.dataSource()),
                        null);
        ApiTokens tokens = ApiTokens.create(pg.dataSource());
        admin = tokens.issueAdmin("ops");
        pg.accountTarget("acc1");
        tenant = tokens.issueForAccounts("acc1-user", java.util.List.of("acc1"));
    }

    /** Each test starts with no rule set pushed: the rollout is one row shared by the API. */
    @BeforeEach
    void freshRollout() {
        pg.resetRollout();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    record Run(int exit, String out, String err) {}

    static Run rules(String token, RulesCommand.Sub command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        command.env =
                Env.of(
                        Map.of(
                                "VIGIL_API_URL",
                                server.baseUrl().toString(),
                                "VIGIL_ADMIN_TOKEN",
                                token));
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(command).execute(args);
        return new Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anOperatorPushesShadowsPromotesAndRollsBackARuleSetAndTheLogSaysWhy(@TempDir Path dir)
            throws Exception {
        Path base = Files.createDirectories(dir.resolve("base"));
        Run first = rules(admin, new RulesCommand.Push(), base.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        String baseVersion = version(first.out());
        assertThat(rules(admin, new RulesCommand.Promote(), baseVersion, "--percent", "100").out())
                .contains(baseVersion + " is active");

        Path house = Files.createDirectories(dir.resolve("house"));
        Files.writeString(house.resolve("free.yaml"), ZoneOnFreePlanRule.TEXT);
        Run pushed = rules(admin, new RulesCommand.Push(), house.toString());
        String candidate = version(pushed.out());
        assertThat(pushed.out()).startsWith("pushed " + candidate).contains("1 files");
        assertThat(rules(admin, new RulesCommand.Push(), house.toString()).out())
                .as("the same files are the same version")
                .startsWith("already stored: " + candidate);

        assertThat(rules(admin, new RulesCommand.Shadow(), candidate).exit()).isZero();
        Run diff = rules(admin, new RulesCommand.Diff());
        assertThat(diff.exit()).as(diff.err()).isZero();
        assertThat(diff.out())
                .startsWith(candidate + " against " + baseVersion + " over 0 shadow scans");
        assertThat(
                        rules(
                                        admin,
                                        new RulesCommand.Promote(),
                                        candidate,
                                        "--percent",
                                        "10",
                                        "--min-targets",
                                        "3")
                                .out())
                .contains("applies to 10 % of the targets");
        Run status = rules(admin, new RulesCommand.Status());
        assertThat(status.out()).contains("candidate " + candidate + ", stage canary 10 %");

        Run back = rules(admin, new RulesCommand.Rollback(), "--reason", "the rule is wrong");
        assertThat(back.out()).contains("rolled back: active " + baseVersion);
        Run log = rules(admin, new RulesCommand.Log());
        assertThat(log.out())
                .contains("rule_set_rolled_back")
                .contains("the rule is wrong")
                .contains("rule_set_promoted")
                .contains("rule_set_pushed");
        long audited =
                Jdbi.create(pg.dataSource())
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        "select count(*) from audit_log"
                                                                + " where account_id = '*'"
                                                                + " and action = 'rule_set_rolled_back'"
                                                                + " and changed_by = 'ops'")
                                                .mapTo(Long.class)
                                                .one());
        assertThat(audited).as("one fleet-wide entry, by the admin token's name").isEqualTo(1);

        Run nothing = rules(admin, new RulesCommand.Rollback());
        assertThat(nothing.exit()).isEqualTo(1);
        assertThat(nothing.err()).contains("answered 409").contains("nothing to roll back");
    }

    @Test
    void aBrokenRuleIsRefusedBeforeAnythingIsSentAndATenantTokenIsRefused(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("broken.yaml"), ZoneOnFreePlanRule.broken());
        Run broken = rules(admin, new RulesCommand.Push(), dir.toString());
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.err()).contains("broken.yaml").contains("field 'assert'");

        Run refused = rules(tenant, new RulesCommand.Status());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("answered 403").contains("needs an admin token");
    }

    /**
     * What a deployment runs on every install and upgrade (the Helm chart's rules job): pushing the
     * same files again with {@code --then} changes nothing and succeeds.
     */
    @Test
    void pushThenStagesTheVersionOnceAndIsARepeatableStep(@TempDir Path dir) throws Exception {
        Path base = Files.createDirectories(dir.resolve("base"));
        Run active = rules(admin, new RulesCommand.Push(), base.toString(), "--then", "activate");
        assertThat(active.exit()).as(active.err()).isZero();
        String baseVersion = version(active.out());
        assertThat(
                        rules(admin, new RulesCommand.Push(), base.toString(), "--then", "activate")
                                .out())
                .contains(baseVersion + " is already active");

        Path house = Files.createDirectories(dir.resolve("house"));
        Files.writeString(house.resolve("free.yaml"), ZoneOnFreePlanRule.withMessage("'on free'"));
        Run shadow = rules(admin, new RulesCommand.Push(), house.toString(), "--then", "shadow");
        assertThat(shadow.exit()).as(shadow.err()).isZero();
        String candidate = version(shadow.out());
        assertThat(shadow.out()).contains("shadowing " + candidate);
        Run again = rules(admin, new RulesCommand.Push(), house.toString(), "--then", "shadow");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains(candidate + " is already the candidate (shadow)");
        assertThat(rules(admin, new RulesCommand.Status()).out())
                .contains("active " + baseVersion)
                .contains("candidate " + candidate + ", stage shadow");

        Run activated =
                rules(admin, new RulesCommand.Push(), house.toString(), "--then", "activate");
        assertThat(activated.out()).contains(candidate + " is active (previous: " + baseVersion);

        Run bad = rules(admin, new RulesCommand.Push(), house.toString(), "--then", "canary");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("--then takes shadow or activate, not canary");
    }

    private static String version(String out) {
        String[] words = out.strip().split(" ", -1);
        return words[0].equals("pushed") ? words[1] : words[2];
    }
}
