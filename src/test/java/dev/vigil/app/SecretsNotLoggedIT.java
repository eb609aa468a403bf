package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.vigil.config.Env;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.events.Lane;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs the production roles (migrate, scheduler, api, worker) in process with every secret
 * configured, drives requests with the admin token, makes alert destinations (a webhook's signing
 * secret, a Slack URL) whose test messages fail (refused by the allow-list, an SMTP server that is
 * not there), lets the worker fail against its config source, then greps everything logged for the
 * secrets.
 */
class SecretsNotLoggedIT {

    /** Every log event, formatted with its stack trace. */
    static final class Capture extends AppenderBase<ILoggingEvent> {
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        @Override
        protected void append(ILoggingEvent e) {
            lines.add(
                    e.getLoggerName()
                            + " "
                            + e.getFormattedMessage()
                            + (e.getThrowableProxy() == null
                                    ? ""
                                    : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())));
        }
    }

    @Test
    void noConfiguredSecretAppearsInTheLogsOfAFullRun() throws Exception {
        Capture capture = new Capture();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        capture.setContext(root.getLoggerContext());
        capture.start();
        root.addAppender(capture);
        String dbPassword = "db-pw-" + Long.toHexString(System.nanoTime());
        String schedulerPassword = "sched-pw-" + Long.toHexString(System.nanoTime());
        String sourceToken = "source-token-" + Long.toHexString(System.nanoTime());
        String alertKey = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
        String smtpPassword = "smtp-pw-" + Long.toHexString(System.nanoTime());
        List<String> secrets = new ArrayList<>();
        try (TestPostgres pg = TestPostgres.start();
                EmbeddedKafka kafka = EmbeddedKafka.start();
                HttpClient http = HttpClient.newHttpClient()) {
            pg.zoneTarget("acc1", "zone1");
            pg.execute(
                    "create role api_user login password '" + dbPassword + "' in role vigil_api",
                    "create role sched_user login password '"
                            + schedulerPassword
                            + "' in role vigil_scheduler");
            ApiTokens tokens = ApiTokens.create(pg.dataSource());
            String admin = tokens.issueAdmin("ops");
            String service = tokens.issueService("workers");
            String reader = tokens.issueForAccounts("reader", List.of("acc1"), false);
            String writer = tokens.issueForAccounts("writer", List.of("acc1"));
            secrets.addAll(
                    List.of(
                            dbPassword,
                            schedulerPassword,
                            sourceToken,
                            admin,
                            service,
                            reader,
                            writer,
                            alertKey,
                            smtpPassword));

            Map<String, String> common = new HashMap<>();
            common.put("VIGIL_DATABASE_URL", pg.jdbcUrl());
            common.put("VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
            common.put("VIGIL_MANAGEMENT_PORT", "0");
            common.put("VIGIL_API_PORT", "0");
            Env base = Env.of(common);
            try (AutoCloseable api =
                            Roles.api(
                                    base.with(
                                            Map.of(
                                                    "VIGIL_DATABASE_USER",
                                                    "api_user",
                                                    "VIGIL_DATABASE_PASSWORD",
                                                    dbPassword,
                                                    "VIGIL_ALERT_SECRET_KEY",
                                                    alertKey,
                                                    "VIGIL_ALERT_POLL",
                                                    "100ms",
                                                    "VIGIL_SMTP_HOST",
                                                    "127.0.0.1",
                                                    "VIGIL_SMTP_PORT",
                                                    "9",
                                                    "VIGIL_SMTP_FROM",
                                                    "vigil@example.com",
                                                    "VIGIL_SMTP_USER",
                                                    "vigil",
                                                    "VIGIL_SMTP_PASSWORD",
                                                    smtpPassword)));
                    AutoCloseable scheduler =
                            Roles.scheduler(
                                    base.with(
                                            Map.of(
                                                    "VIGIL_DATABASE_USER", "sched_user",
                                                    "VIGIL_DATABASE_PASSWORD", schedulerPassword,
                                                    "VIGIL_INTERVAL_FREE", "1m")))) {
                String apiUrl = apiUrl(capture);
                try (AutoCloseable worker =
                        Roles.worker(
                                Env.of(
                                        Map.of(
                                                "VIGIL_KAFKA_BOOTSTRAP",
                                                kafka.bootstrapServers(),
                                                "VIGIL_MANAGEMENT_PORT",
                                                "0",
                                                "VIGIL_CONFIG_SOURCE_URL",
                                                "http://127.0.0.1:9/",
                                                "VIGIL_CONFIG_SOURCE_TOKEN",
                                                sourceToken,
                                                "VIGIL_CONFIG_SOURCE_TIMEOUT",
                                                "1s",
                                                "VIGIL_RESULTS_URL",
                                                apiUrl,
                                                "VIGIL_SERVICE_TOKEN",
                                                service,
                                                "VIGIL_WORKER_RETRY_ATTEMPTS",
                                                "2",
                                                // dead-letter (and log) after the two attempts
                                                "VIGIL_WORKER_RETRY_FOR",
                                                "1ms")),
                                Lane.FAST)) {
                    for (String[] call :
                            List.of(
                                    new String[] {admin, "v1/tokens"},
                                    new String[] {reader, "v1/accounts/acc1/insights"},
                                    new String[] {reader, "v1/tokens"},
                                    new String[] {admin + "x", "v1/me"},
                                    new String[] {
                                        reader, "v1/accounts/acc1/insights?cursor=%00"
                                    })) {
                        http.send(
                                HttpRequest.newBuilder(URI.create(apiUrl).resolve(call[1]))
                                        .header("Authorization", "Bearer " + call[0])
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                    }
                    secrets.addAll(AlertSecrets.exercise(http, URI.create(apiUrl), writer));
                    // Let the scheduler publish and the worker fail against the config source.
                    org.awaitility.Awaitility.await()
                            .atMost(java.time.Duration.ofSeconds(60))
                            .until(
                                    () ->
                                            capture.lines.stream()
                                                    .anyMatch(l -> l.contains("127.0.0.1:9")));
                }
            }
        } finally {
            root.detachAppender(capture);
        }

        assertThat(capture.lines).hasSizeGreaterThan(10);
        for (String secret : secrets) {
            assertThat(capture.lines)
                    .as("log lines holding a secret")
                    .noneMatch(l -> l.contains(secret));
        }
    }

    /** The API's address, from its start-up line. */
    private static String apiUrl(Capture capture) {
        String line =
                capture.lines.stream()
                        .filter(l -> l.contains("api listening on "))
                        .findFirst()
                        .orElseThrow();
        String url = line.substring(line.indexOf("api listening on ") + 17);
        return url.substring(0, url.indexOf(' '));
    }
}
