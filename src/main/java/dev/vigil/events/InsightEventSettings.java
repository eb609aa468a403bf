package dev.vigil.events;

import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import java.time.Duration;
import java.util.Locale;

/**
 * The api role's insight-event relay ({@link InsightEventRelay}).
 *
 * @param enabled whether transitions are queued and published at all
 * @param batchSize the most outbox rows published and deleted in one transaction
 * @param every the wait between two passes once the outbox is drained
 * @param maxBackoff the longest wait after failed passes (doubling from {@code every})
 * @param framing how each Avro record is framed in the Kafka value
 */
public record InsightEventSettings(
        boolean enabled, int batchSize, Duration every, Duration maxBackoff, EventFraming framing) {

    /**
     * 500 rows: one round trip to Kafka and one delete per batch; a COPY of 100,000 new insights
     * drains in 200 passes, back to back (a full batch starts the next pass at once).
     */
    public static final int DEFAULT_BATCH_SIZE = 500;

    /** A transition reaches Kafka within about this long of its commit when nothing is queued. */
    public static final String DEFAULT_EVERY = "1s";

    /** After failures, retries at most this far apart, so a returning broker is seen soon. */
    public static final String DEFAULT_MAX_BACKOFF = "30s";

    public static final Setting<Boolean> ENABLED =
            new Setting<>(
                    "VIGIL_INSIGHT_EVENTS",
                    "on",
                    "on: queue every insight transition in the write transaction and publish it to"
                            + " <prefix>insight-events; off: queue and publish nothing",
                    false,
                    "on or off",
                    InsightEventSettings::onOff);

    public static final Setting<Integer> BATCH_SIZE =
            Setting.integer(
                    "VIGIL_INSIGHT_EVENTS_BATCH",
                    DEFAULT_BATCH_SIZE,
                    1,
                    10_000,
                    "the most queued insight events published and deleted in one transaction");

    public static final Setting<Duration> EVERY =
            Setting.duration(
                    "VIGIL_INSIGHT_EVENTS_EVERY",
                    DEFAULT_EVERY,
                    "how often the api role looks for queued insight events once it drained them");

    public static final Setting<Duration> MAX_BACKOFF =
            Setting.duration(
                    "VIGIL_INSIGHT_EVENTS_MAX_BACKOFF",
                    DEFAULT_MAX_BACKOFF,
                    "the longest wait between two attempts while Kafka or the database fails");

    public static final Setting<EventFraming> FRAMING =
            new Setting<>(
                    "VIGIL_INSIGHT_EVENTS_FRAMING",
                    "single-object",
                    "single-object (Avro single-object encoding, as Vigil's other topics), or"
                            + " confluent:<id> (the Confluent wire format, with the id a schema"
                            + " registry gave insight-event-v1.avsc) for ClickHouse's AvroConfluent",
                    false,
                    "single-object or confluent:<schema id>",
                    EventFraming::parse);

    public static InsightEventSettings from(Env env) {
        return new InsightEventSettings(
                env.get(ENABLED),
                env.get(BATCH_SIZE),
                env.get(EVERY),
                env.get(MAX_BACKOFF),
                env.get(FRAMING));
    }

    /** The defaults, with passes {@code every} apart (tests use a short one). */
    public static InsightEventSettings every(Duration every) {
        return new InsightEventSettings(
                true,
                DEFAULT_BATCH_SIZE,
                every,
                Setting.parseDuration(DEFAULT_MAX_BACKOFF),
                new EventFraming.SingleObject());
    }

    private static Boolean onOff(String raw) {
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException("not on or off");
        };
    }
}
