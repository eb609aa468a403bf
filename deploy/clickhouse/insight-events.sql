-- Streams Vigil's insight events (<prefix>insight-events) into ClickHouse.
-- Needs the api role to run with VIGIL_INSIGHT_EVENTS_FRAMING=confluent:<id>, where <id> is the id
-- a Confluent-compatible schema registry gave src/main/resources/avro/insight-event-v1.avsc
-- (README.md beside this file). Replace the broker list, topic, group and registry URL below.
-- Not run in Vigil's CI: no ClickHouse server can run there (written for ClickHouse 24.x).

CREATE DATABASE IF NOT EXISTS vigil;

-- 1. The Kafka engine table: a consumer, not storage. Each row read is handed to the view below.
--    Column names and types follow the Avro schema (timestamp-micros -> DateTime64(6)).
CREATE TABLE vigil.insight_events_queue
(
    event_id            String,
    kind                String,
    account_id          String,
    zone_id             Nullable(String),
    insight_id          Int64,
    check_id            String,
    resource_key        String,
    severity            String,
    classification      Nullable(String),
    actor               String,
    scan_id             Nullable(String),
    occurred_at_micros  DateTime64(6, 'UTC'),
    recorded_at_micros  DateTime64(6, 'UTC')
)
ENGINE = Kafka
SETTINGS kafka_broker_list = 'kafka-1:9092,kafka-2:9092',
         kafka_topic_list = 'vigil.insight-events',
         kafka_group_name = 'clickhouse-vigil-insight-events',
         kafka_format = 'AvroConfluent',
         format_avro_schema_registry_url = 'http://schema-registry:8081',
         kafka_num_consumers = 1;

-- 2. The history. Delivery is at least once (a republish after a failed delete repeats an event
--    with the same event_id): ReplacingMergeTree drops the copies at merge time, and the queries
--    below read with FINAL so they never count one twice before a merge.
CREATE TABLE vigil.insight_events
(
    event_id        UUID,
    kind            LowCardinality(String),
    account_id      LowCardinality(String),
    zone_id         Nullable(String),
    insight_id      Int64,
    check_id        LowCardinality(String),
    resource_key    String,
    severity        LowCardinality(String),
    classification  LowCardinality(Nullable(String)),
    actor           LowCardinality(String),
    scan_id         Nullable(UUID),
    occurred_at     DateTime64(6, 'UTC'),
    recorded_at     DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (account_id, insight_id, occurred_at, event_id);

-- 3. Moves what the Kafka table reads into the history.
CREATE MATERIALIZED VIEW vigil.insight_events_mv TO vigil.insight_events AS
SELECT toUUID(event_id)          AS event_id,
       kind,
       account_id,
       zone_id,
       insight_id,
       check_id,
       resource_key,
       severity,
       classification,
       actor,
       toUUIDOrNull(scan_id)     AS scan_id,
       occurred_at_micros        AS occurred_at,
       recorded_at_micros        AS recorded_at
FROM vigil.insight_events_queue;
