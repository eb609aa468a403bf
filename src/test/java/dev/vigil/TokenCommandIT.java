package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.Env;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import dev.vigil.tokens.TokenGrant;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TokenCommandIT {

    @Test
    void issuedTokensAuthenticateWithTheirScopeAndOnlyTheirHashIsStored() {
        try (TestPostgres pg = TestPostgres.start()) {
            Env env =
                    Env.of(
                            Map.of(
                                    "VIGIL_DATABASE_URL",
                                    pg.jdbcUrl(),
                                    "VIGIL_DATABASE_USER",
                                    pg.user(),
                                    "VIGIL_DATABASE_PASSWORD",
                                    pg.password()));

            String admin = create(env, c -> c.admin = true);
            String reader =
                    create(
                            env,
                            c -> {
                                c.accounts = List.of("acct-1", "acct-2");
                                c.readOnly = true;
                            });
            ApiTokens tokens = ApiTokens.create(pg.dataSource());
            assertThat(tokens.authenticate(admin))
                    .get()
                    .satisfies(g -> assertThat(g.admin()).isTrue());
            TokenGrant g = tokens.authenticate(reader).orElseThrow();
            assertThat(g.mayRead("acct-2")).isTrue();
            assertThat(g.mayRead("acct-3")).isFalse();
            assertThat(g.mayWrite("acct-1")).isFalse();
            assertThat(tokens.list().toString()).doesNotContain(admin).doesNotContain(reader);
        }
    }

    @Test
    void exactlyOneKindOfTokenMustBeChosen() {
        TokenCommand.Create c = new TokenCommand.Create();
        c.name = "x";
        c.admin = true;
        c.service = true;
        assertThatThrownBy(() -> c.run(Env.of(Map.of()), System.out))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("exactly one of --admin, --service or --accounts");
    }

    private static String create(Env env, java.util.function.Consumer<TokenCommand.Create> setup) {
        TokenCommand.Create c = new TokenCommand.Create();
        c.name = "t";
        setup.accept(c);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(c.run(env, new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
        return out.toString(StandardCharsets.UTF_8).strip();
    }
}
