package dev.vigil.api;

import dev.vigil.alerts.SecretBox;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;

/**
 * The alerting ITs' API, as a JUnit extension: one API with a random sealing key for the test
 * class, account {@code acc1} with a writer's and a read-only token, the alert tables emptied
 * before each test, and the calls those tests make under {@code /v1/accounts/acc1/alerting/}.
 */
final class AlertingApi implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    static final String BASE = "v1/accounts/acc1/alerting/";

    private final SecretBox box = SecretBox.random();
    private @Nullable ApiHarness api;
    private @Nullable String writer;
    private @Nullable String reader;

    @Override
    public void beforeAll(ExtensionContext context) {
        ApiHarness started = ApiHarness.start(o -> o.withAlertSecrets(box));
        started.pg.accountTarget("acc1");
        writer = started.tokens.issueForAccounts("alice", List.of("acc1"));
        reader = started.tokens.issueForAccounts("auditor", List.of("acc1"), false);
        api = started;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        api().pg.execute("delete from alert_destinations");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (api != null) {
            api.close();
        }
    }

    /** The key the API seals secrets with. */
    SecretBox box() {
        return box;
    }

    ApiHarness api() {
        return Objects.requireNonNull(api, "started in beforeAll");
    }

    /** A token of acc1 that may write. */
    String writer() {
        return Objects.requireNonNull(writer, "started in beforeAll");
    }

    /** A read-only token of acc1. */
    String reader() {
        return Objects.requireNonNull(reader, "started in beforeAll");
    }

    /** {@code POST BASE + path} with the writer's token. */
    HttpResponse<String> post(String path, @Nullable String body) throws Exception {
        return api().send("POST", BASE + path, writer(), body);
    }

    /** The result of a {@code POST BASE + path} that must answer 201. */
    JsonNode created(String path, String body) throws Exception {
        return AlertFixtures.created(api(), writer(), BASE + path, body);
    }

    /** A webhook destination named {@code name}; its id. */
    long webhook(String name) throws Exception {
        return created(
                        "destinations",
                        "{\"name\": \""
                                + name
                                + "\", \"kind\": \"webhook\", \"url\":"
                                + " \"https://hooks.example.com/vigil\"}")
                .get("id")
                .asLong();
    }
}
