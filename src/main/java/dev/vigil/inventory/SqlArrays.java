package dev.vigil.inventory;

import java.util.Set;
import org.jdbi.v3.core.argument.Argument;

/**
 * Array parameters sent to PostgreSQL in its binary array format. Jdbi binds a Java array through
 * {@code Connection.createArrayOf}, which pgjdbc sends as the array's text literal: every element
 * quoted and escaped character by character in the JVM, and read back the same way by the server's
 * {@code array_in}. Handed to {@code setObject} instead, pgjdbc encodes {@code String[]}, {@code
 * Long[]}, {@code Integer[]} and the primitive arrays as length-prefixed values, which the server
 * takes without parsing. For the batch statements that bind large arrays (a batch's documents,
 * findings and messages). {@code String[]} arrives as {@code varchar[]}; the statements cast it to
 * {@code text[]}, which costs nothing.
 */
public final class SqlArrays {

    private SqlArrays() {}

    /**
     * The element types pgjdbc writes in binary. Others (a {@code Timestamp[]}, say) it would write
     * as text from their {@code toString}, which is not what Jdbi's array types do: refused.
     */
    private static final Set<Class<?>> BINARY =
            Set.of(String.class, Long.class, Integer.class, Double.class, long.class, int.class);

    /**
     * {@code values} (a one-dimensional array of strings, longs, ints or doubles, boxed elements
     * may be null) as one binary array parameter.
     */
    public static Argument binary(Object values) {
        Class<?> element = values.getClass().getComponentType();
        if (element == null || !BINARY.contains(element)) {
            throw new IllegalArgumentException(
                    "no binary array of " + values.getClass().getSimpleName());
        }
        return (position, statement, ctx) -> statement.setObject(position, values);
    }
}
