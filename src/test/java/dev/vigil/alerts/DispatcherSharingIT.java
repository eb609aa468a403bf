package dev.vigil.alerts;

import static dev.vigil.alerts.DispatcherTesting.FAST;
import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.results.ResultWriter;
import dev.vigil.testing.TestPostgres;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dispatchers sharing one database: claims {@code FOR UPDATE SKIP LOCKED} give each message to one
 * of them, a dispatcher gone between claim and record leaves its message to another after the lease
 * (same id), and a digest rule's window makes one message of several scans.
 */
class DispatcherSharingIT {

    static TestPostgres pg;
    static AlertFixtures alerts;
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    DispatcherTesting dispatchers;
    long mailbox;

    @BeforeAll
    static void startDatabase() {
        pg = TestPostgres.start();
        alerts = new AlertFixtures(Jdbi.create(pg.dataSource()));
    }

    @AfterAll
    static void stopDatabase() {
        pg.close();
    }

    @BeforeEach
    void resetTables() {
        pg.reset();
        pg.execute(AlertFixtures.TABLES);
        mailbox = alerts.email("acc1", "ops");
        dispatchers = new DispatcherTesting(pg);
    }

    @AfterEach
    void closeDispatchers() {
        dispatchers.close();
    }

    /** Test messages as the "send test" route makes them: no outbox rows, one sample event. */
    private List<UUID> testMessages(int n) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            alerts.execute(
                    "insert into alert_messages (message_id, account_id, destination_id, test,"
                            + " events) values ('"
                            + id
                            + "', 'acc1', "
                            + mailbox
                            + ", true, 1)");
        }
        return ids;
    }

    private static long delivered() {
        return alerts.count("select count(*) from alert_messages where status = 'delivered'");
    }

    @Test
    void twoDispatchersOnOneDatabaseSendEachMessageExactlyOnce() {
        List<UUID> ids = testMessages(200);
        FakeSender a = FakeSender.delivering();
        FakeSender b = FakeSender.delivering();
        dispatchers.start(a, FAST, Optional.empty());
        dispatchers.start(b, FAST, Optional.empty());

        await().atMost(Duration.ofSeconds(30)).until(() -> delivered() == ids.size());

        List<UUID> sent = new ArrayList<>(a.ids());
        sent.addAll(b.ids());
        assertThat(sent).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertThat(alerts.count("select count(*) from alert_attempts")).isEqualTo(ids.size());
    }

    @Test
    void aDispatcherGoneAfterItsClaimLeavesTheMessageToAnotherAfterTheLeaseWithTheSameId() {
        UUID id = testMessages(1).getFirst();
        CountDownLatch claimed = new CountDownLatch(1);
        List<UUID> seenByFirst = new CopyOnWriteArrayList<>();
        // never answers until interrupted, as a send cut by shutdown
        Sender stuck =
                (message, destination) -> {
                    seenByFirst.add(message.messageId());
                    claimed.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new DeliveryOutcome.Retry(null, "interrupted", null, Duration.ZERO);
                };
        AlertDispatcher first =
                dispatchers.start(
                        stuck,
                        FAST.withTiming(
                                        Duration.ofMillis(20),
                                        Duration.ofSeconds(1),
                                        Duration.ofMillis(10))
                                .withCloseDeadline(Duration.ofMillis(200)),
                        Optional.empty());
        await().atMost(Duration.ofSeconds(60)).until(() -> claimed.getCount() == 0);
        first.close();
        Map<String, Object> afterClaim =
                alerts.rows(
                                "select status, attempts, next_attempt_at from alert_messages"
                                        + " where message_id = '"
                                        + id
                                        + "'")
                        .getFirst();
        assertThat(afterClaim.get("status")).isEqualTo("pending");
        assertThat(afterClaim.get("attempts")).isEqualTo(1);
        assertThat(alerts.count("select count(*) from alert_attempts")).isZero();

        FakeSender second = FakeSender.delivering();
        dispatchers.start(second, FAST, Optional.empty());

        await().atMost(Duration.ofSeconds(60)).until(() -> delivered() == 1);
        assertThat(seenByFirst).containsExactly(id);
        assertThat(second.ids()).containsExactly(id);
        Map<String, Object> done =
                alerts.rows("select attempts, delivered_at from alert_messages").getFirst();
        assertThat(done.get("attempts")).isEqualTo(2);
        assertThat(((Timestamp) done.get("delivered_at")).toInstant())
                .isAfterOrEqualTo(((Timestamp) afterClaim.get("next_attempt_at")).toInstant());
        assertThat(alerts.rows("select attempt, outcome from alert_attempts"))
                .containsExactly(Map.of("attempt", 2, "outcome", "delivered"));
    }

    @Test
    void aDigestRuleSendsTheEventsOfItsWindowInOneMessage() {
        pg.zoneTarget("acc1", "zone1");
        pg.zoneTarget("acc1", "zone2");
        alerts.rule(
                "acc1", "digest", mailbox, "mode = 'digest', digest_window = interval '1 second'");
        FakeSender sender = FakeSender.delivering();
        dispatchers.start(sender, FAST, Optional.empty());
        ResultWriter writer = ResultWriter.create(pg.dataSource(), 2_000, 1_000);

        writer.apply(
                zoneResult(
                        "acc1",
                        "zone1",
                        T0,
                        List.of("dns.a"),
                        List.of(),
                        List.of(finding("dns.a", "r1"))));
        writer.apply(
                zoneResult(
                        "acc1",
                        "zone2",
                        T0,
                        List.of("dns.a"),
                        List.of(),
                        List.of(finding("dns.a", "r2"), finding("dns.a", "r3"))));

        await().atMost(Duration.ofSeconds(60)).until(() -> delivered() == 1);
        assertThat(sender.sent())
                .singleElement()
                .satisfies(
                        s ->
                                assertThat(s.message().events())
                                        .extracting(AlertEvent::zoneId)
                                        .containsExactlyInAnyOrder("zone1", "zone2", "zone2"));
        // the message waited for the window that its first event opened
        assertThat(
                        alerts.count(
                                "select count(*) from alert_messages m where m.created_at >="
                                        + " (select min(created_at) from alert_outbox)"
                                        + " + interval '1 second'"))
                .isEqualTo(1);
    }
}
