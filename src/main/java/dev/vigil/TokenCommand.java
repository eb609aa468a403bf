package dev.vigil;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.app.Roles;
import dev.vigil.config.Env;
import dev.vigil.tokens.ApiTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil token create}: issues the first tokens of a deployment straight into the database
 * (VIGIL_DATABASE_URL): an admin token that manages the others through the API, the workers'
 * service token, or a token scoped to accounts. The plaintext is printed once; only its hash is
 * stored.
 */
@Command(
        name = "token",
        description = "Issue API tokens (VIGIL_DATABASE_URL).",
        subcommands = TokenCommand.Create.class)
final class TokenCommand {

    @Command(name = "create", description = "Issue a token and print it once.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--name", required = true, description = "a name to recognise the token by")
        String name = "";

        @Option(names = "--admin", description = "manages tokens; sees no tenant data")
        boolean admin;

        @Option(
                names = "--service",
                description = "the workers' token for the internal results API")
        boolean service;

        @Option(names = "--accounts", split = ",", description = "account ids the token may see")
        List<String> accounts = new ArrayList<>();

        @Option(
                names = "--read-only",
                description = "an account token that cannot dismiss or classify")
        boolean readOnly;

        @Override
        public Integer call() {
            return run(Env.system(), System.out);
        }

        int run(Env env, java.io.PrintStream out) {
            int kinds = (admin ? 1 : 0) + (service ? 1 : 0) + (accounts.isEmpty() ? 0 : 1);
            if (kinds != 1) {
                throw new CommandLine.ParameterException(
                        new CommandLine(this),
                        "give exactly one of --admin, --service or --accounts ID[,ID…]");
            }
            try (HikariDataSource db = Roles.pool(env)) {
                ApiTokens tokens = ApiTokens.create(db);
                String token =
                        admin
                                ? tokens.issueAdmin(name)
                                : service
                                        ? tokens.issueService(name)
                                        : tokens.issueForAccounts(name, accounts, !readOnly);
                out.println(token);
            }
            return 0;
        }
    }
}
