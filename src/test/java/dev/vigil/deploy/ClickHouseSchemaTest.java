package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/clickhouse/ against what Vigil publishes. No ClickHouse server that reads AvroConfluent
 * (20.x and later) can be installed here, so the DDL is never executed; what can drift silently is
 * checked instead: the Kafka engine table's columns are the Avro schema's fields, in order, with
 * the types ClickHouse maps them to (AvroConfluent matches by name, a missing or mistyped column
 * fails every row); the materialized view fills every column of the history, in order, from columns
 * the Kafka table has; the example queries name only columns of the history and only event kinds
 * the schema has.
 */
class ClickHouseSchemaTest {

    private static final Path DIR = Path.of("deploy", "clickhouse");
    private static final Pattern KIND_LIST = Pattern.compile("kind\\s+IN\\s*\\(([^)]*)\\)");
    private static final Pattern ITEM = Pattern.compile(",\\s*\\n");
    private static final Pattern ALIAS = Pattern.compile("\\s+AS\\s+");
    private static final Pattern COMMA = Pattern.compile(",");
    private static final Pattern LINE = Pattern.compile("\n");
    private static final Pattern SPACE = Pattern.compile("\\s+");
    private static final Pattern KIND_EQUALS = Pattern.compile("kind\\s*=\\s*'([a-z]+)'");

    private static Schema schema;
    private static String ddl;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream in =
                ClickHouseSchemaTest.class.getResourceAsStream("/avro/insight-event-v1.avsc")) {
            assertThat(in).as("insight-event-v1.avsc on the classpath").isNotNull();
            schema = new Schema.Parser().parse(in);
        }
        ddl = withoutComments(Files.readString(DIR.resolve("insight-events.sql")));
    }

    @Test
    void kafkaTableHasTheAvroFieldsInOrderWithTheirClickHouseTypes() {
        Map<String, String> columns = columns("vigil.insight_events_queue");
        Map<String, String> expected = new LinkedHashMap<>();
        for (Schema.Field f : schema.getFields()) {
            expected.put(f.name(), clickHouseType(f.schema()));
        }
        assertThat(columns).containsExactlyEntriesOf(expected);
        assertThat(ddl).contains("kafka_format = 'AvroConfluent'");
    }

    @Test
    void viewFillsEveryHistoryColumnInOrderFromTheKafkaTable() {
        Set<String> queue = columns("vigil.insight_events_queue").keySet();
        List<String> history = new ArrayList<>(columns("vigil.insight_events").keySet());
        int at =
                ddl.indexOf(
                        "CREATE MATERIALIZED VIEW vigil.insight_events_mv TO vigil.insight_events");
        assertThat(at).as("the view writes into the history").isNotNegative();
        String select = ddl.substring(ddl.indexOf("SELECT", at), ddl.indexOf(';', at));
        assertThat(select).contains("FROM vigil.insight_events_queue");
        String list = select.substring("SELECT".length(), select.indexOf("FROM")).strip();
        List<String> outputs = new ArrayList<>();
        for (String item : ITEM.split(list, -1)) {
            String[] parts = ALIAS.split(item.strip(), -1);
            String source = parts[0].strip();
            outputs.add(parts.length == 2 ? parts[1].strip() : source);
            Matcher arg = Pattern.compile("^\\w+\\((\\w+)\\)$").matcher(source);
            String read = arg.matches() ? arg.group(1) : source;
            assertThat(queue).as("the view reads " + read).contains(read);
        }
        assertThat(outputs).containsExactlyElementsOf(history);
    }

    @Test
    void queriesReadOnlyHistoryColumnsAndKnownKinds() throws IOException {
        String queries = withoutComments(Files.readString(DIR.resolve("queries.sql")));
        Set<String> history = columns("vigil.insight_events").keySet();
        for (String column : List.of("occurred_at", "kind", "severity", "account_id", "actor")) {
            assertThat(history).contains(column);
            assertThat(queries).contains(column);
        }
        Set<String> kinds = new TreeSet<>(schema.getField("kind").schema().getEnumSymbols());
        Set<String> named = new TreeSet<>();
        Matcher lists = KIND_LIST.matcher(queries);
        while (lists.find()) {
            for (String k : COMMA.split(lists.group(1), -1)) {
                named.add(k.strip().replace("'", ""));
            }
        }
        Matcher equals = KIND_EQUALS.matcher(queries);
        while (equals.find()) {
            named.add(equals.group(1));
        }
        assertThat(named).as("the kinds the queries name").isNotEmpty();
        assertThat(kinds).containsAll(named);
        assertThat(queries).contains("FROM vigil.insight_events FINAL");
    }

    /** The columns of one CREATE TABLE, name to type, in order. */
    private static Map<String, String> columns(String table) {
        int at = ddl.indexOf("CREATE TABLE " + table + "\n");
        assertThat(at).as(table + " is created").isNotNegative();
        int open = ddl.indexOf('(', at);
        int close = ddl.indexOf("\n)", open);
        Map<String, String> columns = new LinkedHashMap<>();
        for (String line : LINE.split(ddl.substring(open + 1, close), -1)) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            if (l.endsWith(",")) {
                l = l.substring(0, l.length() - 1);
            }
            String[] parts = SPACE.split(l, 2);
            columns.put(parts[0], parts[1].strip());
        }
        return columns;
    }

    /** What ClickHouse's Avro input maps a field of this schema to, as the DDL spells it. */
    private static String clickHouseType(Schema s) {
        if (s.getType() == Schema.Type.UNION) {
            List<Schema> types = s.getTypes();
            assertThat(types).hasSize(2);
            assertThat(types.getFirst().getType()).isEqualTo(Schema.Type.NULL);
            return "Nullable(" + clickHouseType(types.get(1)) + ")";
        }
        if (s.getLogicalType() instanceof LogicalTypes.TimestampMicros) {
            return "DateTime64(6, 'UTC')";
        }
        return switch (s.getType()) {
            case STRING, ENUM -> "String";
            case LONG -> "Int64";
            default -> throw new AssertionError("no mapping for " + s);
        };
    }

    private static String withoutComments(String sql) {
        return sql.replaceAll("(?m)^\\s*--.*\\n", "").replaceAll("--[^\\n']*", "");
    }
}
