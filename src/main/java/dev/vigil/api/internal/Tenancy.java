package dev.vigil.api.internal;

import java.util.Map;

/**
 * The tenant boundary of a read, already checked against the caller's token: one account or zone
 * ({@link Scope}), or the accounts of a fleet read ({@link Fleet}). Every statement of the read
 * side joins its {@link #predicate} with {@code and} and binds its {@link #binds}, so a reader
 * written against this type cannot forget the boundary.
 */
public sealed interface Tenancy permits Scope, Fleet {

    /** The SQL predicate on an alias {@code a} of a table with an {@code account_id} column. */
    String predicate(String a);

    /** The binds of {@link #predicate}, in a fresh map the caller may add its own to. */
    Map<String, Object> binds();

    /**
     * A relation {@code (account_id)} of the accounts read, one row each, over the same {@link
     * #binds}: what a query joins per account (its SLA targets) before it reads the rows.
     */
    String accounts();
}
