package dev.vigil.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testing.TestPostgres;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Arrays bound in binary reach PostgreSQL element for element: nulls, empty arrays, and strings
 * that the text literal would have to escape (quotes, backslashes, braces, commas, NULL spelled
 * out, text outside ASCII), each cast the way the batch statements cast them.
 */
class SqlArraysIT {

    static TestPostgres pg;
    static Jdbi jdbi;

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
        jdbi = Jdbi.create(pg.dataSource());
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void stringsComeBackAsSentWithTheirNulls() {
        String[] sent = {
            "plain",
            "\"quoted\"",
            "back\\slash",
            "{braces}",
            "a,b",
            "NULL",
            null,
            "",
            " ",
            "é中😀",
            "{\"doc\":{\"k\":\"v\\\"\"}}"
        };

        List<String> back =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select coalesce(x, '<null>') from"
                                                        + " unnest(cast(:a as text[])) with"
                                                        + " ordinality as u(x, i) order by i")
                                        .bind("a", SqlArrays.binary(sent))
                                        .mapTo(String.class)
                                        .list());

        assertThat(back)
                .containsExactlyElementsOf(
                        Arrays.stream(sent).map(s -> s == null ? "<null>" : s).toList());
    }

    @Test
    void numbersAndEmptyArraysKeepTheirTypes() {
        String summary =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                """
                                                select cast(:longs as bigint[])::text || ' '
                                                       || cast(:ints as int[])::text || ' '
                                                       || cast(:doubles as float8[])::text || ' '
                                                       || cardinality(cast(:none as text[]))
                                                """)
                                        .bind(
                                                "longs",
                                                SqlArrays.binary(new Long[] {1L, null, 1L << 40}))
                                        .bind("ints", SqlArrays.binary(new int[] {3, -4}))
                                        .bind("doubles", SqlArrays.binary(new Double[] {0.5, null}))
                                        .bind("none", SqlArrays.binary(new String[0]))
                                        .mapTo(String.class)
                                        .one());

        assertThat(summary).isEqualTo("{1,NULL,1099511627776} {3,-4} {0.5,NULL} 0");
    }

    @Test
    void arraysPgjdbcWouldWriteAsTextAreRefused() {
        assertThatThrownBy(() -> SqlArrays.binary(new Timestamp[] {new Timestamp(0)}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no binary array of Timestamp[]");
        assertThatThrownBy(() -> SqlArrays.binary("not an array"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
