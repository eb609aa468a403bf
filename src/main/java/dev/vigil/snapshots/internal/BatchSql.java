package dev.vigil.snapshots.internal;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.SqlArrays;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The snapshot store's statements over many targets at once: one statement each for the targets
 * with their locks, their newest versions, and the inserts with the pruning of a whole batch,
 * whatever its size, where one push took one of each. Each runs on the caller's handle (the caller
 * owns the locks). Arrays are bound whole, in binary ({@link SqlArrays}), and unnested by
 * PostgreSQL.
 */
public final class BatchSql {

    /** The live targets among {@code :ids}: both reads of them below end with it. */
    private static final String TARGETS =
            """
            select target_id, kind, account_id, zone_id, name, plan from targets
            where target_id = any(cast(:ids as text[])) and deleted_at is null
            """;

    /*
     * The key is hashtext of the target id (a single push is a batch of one, so every push of a
     * target takes the same key). Taken in ascending key order, once per key (two ids may share a
     * hash): two batches locking overlapping targets then never wait on each other in a cycle. The
     * subquery's order is the order the outer select calls the function in.
     *
     * The live targets ride in the same statement (one round trip fewer per push): the
     * materialized CTE is evaluated whole, every lock taken, before the one-time filter lets the
     * targets be read. Locks are taken for every id, live or not; unlockAll releases the same set.
     */
    private static final String LOCK_ALL =
            """
            with locked as materialized (
              select pg_advisory_lock(k) from (
                select distinct hashtext(t) as k from unnest(cast(:ids as text[])) as t order by k
              ) as s
            )
            """
                    + TARGETS
                    + """
                      and (select count(*) from locked) >= 0
                    """;

    private static final String UNLOCK_ALL =
            """
            select pg_advisory_unlock(k) from (
              select distinct hashtext(t) as k from unnest(cast(:ids as text[])) as t
            ) as s
            """;

    /*
     * The document is read back only for a version stored before V20, which has no section
     * fingerprints to compare with.
     */
    private static final String NEWEST_ALL =
            """
            select distinct on (target_id) target_id, version, received_at,
                   section_digests as digests,
                   case when section_digests is null then document end as document
            from config_snapshots where target_id = any(cast(:ids as text[]))
            order by target_id, version desc
            """;

    /*
     * Row by row, received_at strictly after the previous version's, even when the clock steps
     * back: it is the scan time of the result the change produces, and the results API drops a
     * result older than the last one applied to the target. The changed sections travel as one
     * JSON array per row (unnest cannot take a ragged text[][]). The documents stay a text[]:
     * handed over instead as one JSON array of rows, parsed once into jsonb and taken apart with
     * ->, the same 200 rows took 56 ms against 22 ms over JDBC (tried 2026-12-05; the batch route
     * fell from about 1,750 to 1,500 pushes/s in `vigil bench changes`). The pruning rides in the
     * same statement (one round trip fewer per push): the delete sees the table as it was before
     * the insert, which is all it needs, since it removes only versions older than the new one by
     * :keep. At most one row per target (the caller's rounds), so target_id keys the answer.
     */
    private static final String INSERT_AND_PRUNE =
            """
            with ins as (
              insert into config_snapshots (target_id, version, received_at, document,
                                            changed_sections, section_digests)
              select r.t, r.v,
                     greatest(clock_timestamp(),
                              cast(r.after as timestamptz) + interval '1 microsecond'),
                     r.doc,
                     array(select jsonb_array_elements_text(cast(r.sections as jsonb))),
                     r.digests
              from unnest(cast(:targets as text[]), cast(:versions as bigint[]),
                          cast(:afters as text[]), cast(:docs as text[]),
                          cast(:sections as text[]), cast(:digests as text[]))
                   as r(t, v, after, doc, sections, digests)
              returning target_id, version, received_at
            ), pruned as (
              delete from config_snapshots c using ins
              where c.target_id = ins.target_id and c.version <= ins.version - :keep
            )
            select target_id, received_at from ins
            """;

    /**
     * One version to insert.
     *
     * @param after the previous version's time, or null for a target's first version
     * @param sectionsJson the changed sections as a JSON array of strings
     * @param digestsJson the document's section fingerprints ({@link SectionDigests#toJson})
     */
    public record Insert(
            String targetId,
            long version,
            @Nullable Instant after,
            String document,
            String sectionsJson,
            String digestsJson) {}

    /**
     * A target's newest stored version, as a push compares with it.
     *
     * @param digestsJson its section fingerprints; null for a version stored before V20
     * @param document the document, read only when {@code digestsJson} is null
     */
    public record Newest(
            long version,
            Instant receivedAt,
            @Nullable String digestsJson,
            @Nullable String document) {}

    private BatchSql() {}

    /** The live targets among {@code ids}, by id. */
    public static Map<String, Target> targets(Handle h, Collection<String> ids) {
        return readTargets(h, TARGETS, ids);
    }

    /**
     * Holds the session locks serializing the pushes of {@code ids}, in a stable order, and then
     * answers the live targets among them, by id (one statement). Release with {@link #unlockAll}
     * over the same ids.
     */
    public static Map<String, Target> lockAll(Handle h, Collection<String> ids) {
        return readTargets(h, LOCK_ALL, ids);
    }

    private static Map<String, Target> readTargets(Handle h, String sql, Collection<String> ids) {
        Map<String, Target> out = new HashMap<>();
        h.createQuery(sql)
                .bind("ids", SqlArrays.binary(ids.toArray(String[]::new)))
                .map(
                        (rs, c) ->
                                new Target(
                                        rs.getString("target_id"),
                                        TargetKind.parse(rs.getString("kind")),
                                        rs.getString("account_id"),
                                        rs.getString("zone_id"),
                                        rs.getString("name"),
                                        Plan.parse(rs.getString("plan"))))
                .forEach(t -> out.put(t.targetId(), t));
        return out;
    }

    /** Releases {@link #lockAll}. */
    public static void unlockAll(Handle h, Collection<String> ids) {
        h.createQuery(UNLOCK_ALL)
                .bind("ids", SqlArrays.binary(ids.toArray(String[]::new)))
                .mapTo(Boolean.class)
                .list();
    }

    /** The newest stored version of each of {@code ids} that has one, by target id. */
    public static Map<String, Newest> newest(Handle h, Collection<String> ids) {
        Map<String, Newest> out = new HashMap<>();
        h.createQuery(NEWEST_ALL)
                .bind("ids", SqlArrays.binary(ids.toArray(String[]::new)))
                .map(
                        (rs, c) ->
                                Map.entry(
                                        rs.getString("target_id"),
                                        new Newest(
                                                rs.getLong("version"),
                                                rs.getObject("received_at", OffsetDateTime.class)
                                                        .toInstant(),
                                                rs.getString("digests"),
                                                rs.getString("document"))))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * Inserts {@code rows} (at most one per target), deletes for each target the versions up to its
     * new version minus {@code keep} (pruning), and answers the time each row was stored, by target
     * id.
     */
    public static Map<String, Instant> insertAndPrune(Handle h, List<Insert> rows, int keep) {
        int n = rows.size();
        String[] targets = new String[n];
        Long[] versions = new Long[n];
        @Nullable String[] afters = new String[n];
        String[] docs = new String[n];
        String[] sections = new String[n];
        String[] digests = new String[n];
        for (int i = 0; i < n; i++) {
            Insert r = rows.get(i);
            targets[i] = r.targetId();
            versions[i] = r.version();
            Instant after = r.after();
            afters[i] = after == null ? null : after.toString();
            docs[i] = r.document();
            sections[i] = r.sectionsJson();
            digests[i] = r.digestsJson();
        }
        Map<String, Instant> out = new HashMap<>();
        h.createQuery(INSERT_AND_PRUNE)
                .bind("keep", keep)
                .bind("targets", SqlArrays.binary(targets))
                .bind("versions", SqlArrays.binary(versions))
                .bind("afters", SqlArrays.binary(afters))
                .bind("docs", SqlArrays.binary(docs))
                .bind("sections", SqlArrays.binary(sections))
                .bind("digests", SqlArrays.binary(digests))
                .map(
                        (rs, c) ->
                                Map.entry(
                                        rs.getString("target_id"),
                                        rs.getObject("received_at", OffsetDateTime.class)
                                                .toInstant()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
