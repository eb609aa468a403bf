package dev.vigil.api.internal;

import dev.vigil.api.ConfigChangeSink;
import dev.vigil.events.ConfigChange;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Pushed configuration snapshots. {@code POST /v1/{accounts|zones}/{id}/config} (write token of the
 * account) stores the body, a JSON object, as the target's next version and publishes a config
 * change naming the sections that changed; {@code GET /internal/v1/targets/{target_id}/config}
 * (service token) serves one stored version to the workers, which hold no database credentials.
 *
 * <p>Per target, pushes are serialized by a session advisory lock held from reading the stored
 * version until the event is published, so versions, {@code received_at} and events share one
 * order. The version is committed before it is announced (a worker reading the event at once must
 * find it); a failed announce deletes it again, so a retried push is announced. The newest {@link
 * #KEEP_VERSIONS} versions are kept.
 */
public final class ConfigRoutes {

    /** The largest document accepted (413 past it), as the workers' HTTP source accepts. */
    public static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

    /** Versions kept per target: a change event lagging more pushes than this finds its gone. */
    static final int KEEP_VERSIONS = 32;

    private static final Set<String> PARAMS = Set.of("changed_sections", "version");

    private static final String NEWEST =
            """
            select version, received_at, document::text as document from config_snapshots
            where target_id = :target order by version desc limit 1
            """;

    private static final String INSERT =
            """
            insert into config_snapshots (target_id, version, received_at, digest, document,
                                          changed_sections)
            values (:target, :version,
                    greatest(clock_timestamp(), cast(:after as timestamptz) + interval '1 microsecond'),
                    md5(:doc), cast(:doc as jsonb), cast(:sections as text[]))
            returning received_at
            """;

    private final Auth auth;
    private final Jdbi jdbi;
    private final @Nullable ConfigChangeSink sink;

    /** The handlers; without a sink, pushes answer 503 (nothing to announce them on). */
    public ConfigRoutes(Auth auth, Jdbi jdbi, @Nullable ConfigChangeSink sink) {
        this.auth = auth;
        this.jdbi = jdbi;
        this.sink = sink;
    }

    public void push(Context ctx) {
        Scope scope = auth.write(ctx);
        for (String name : ctx.queryParamMap().keySet()) {
            if (!PARAMS.contains(name)) {
                throw ApiProblem.badRequest(
                        name,
                        "unknown query parameter '"
                                + name
                                + "' (expected changed_sections, version)");
            }
        }
        @Nullable Long requested = version(ctx);
        @Nullable List<String> given = sections(ctx);
        byte[] raw = body(ctx);
        JsonNode doc = parse(raw);
        ConfigChangeSink out = sink;
        if (out == null) {
            throw new ApiProblem(
                    503,
                    "Config pushes disabled",
                    "this API runs without Kafka, so it cannot announce a pushed configuration;"
                            + " set VIGIL_KAFKA_BOOTSTRAP for the api role",
                    null);
        }
        // Store what we parsed, compactly: the same bytes the workers will read back.
        String text = Json.MAPPER.writeValueAsString(doc);
        Pushed answer =
                jdbi.withHandle(
                        h -> {
                            Target target = target(h, scope);
                            h.createQuery("select pg_advisory_lock(hashtext(:t))")
                                    .bind("t", target.targetId())
                                    .mapTo(String.class)
                                    .findOne();
                            try {
                                Pushed p =
                                        h.inTransaction(
                                                tx ->
                                                        store(
                                                                tx, target, doc, text, requested,
                                                                given));
                                announce(h, p, text, out);
                                return p;
                            } finally {
                                h.createQuery("select pg_advisory_unlock(hashtext(:t))")
                                        .bind("t", target.targetId())
                                        .mapTo(Boolean.class)
                                        .one();
                            }
                        });
        ctx.status(answer.status());
        ctx.contentType("application/json").result(Json.bytes(answer.json()));
    }

    /** The answer to a push: its status and body, and the change to announce, if any. */
    private record Pushed(int status, Map<String, Object> json, @Nullable ConfigChange change) {}

    /** Publishes the committed version's event; on failure deletes the version and rethrows. */
    private static void announce(Handle h, Pushed p, String text, ConfigChangeSink out) {
        ConfigChange change = p.change();
        if (change == null) {
            return;
        }
        try {
            out.publish(change, text.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            h.createUpdate("delete from config_snapshots where target_id = :t and version = :v")
                    .bind("t", change.target().targetId())
                    .bind("v", change.version())
                    .execute();
            throw e;
        }
    }

    private static Pushed store(
            Handle h,
            Target target,
            JsonNode doc,
            String text,
            @Nullable Long requested,
            @Nullable List<String> given) {
        record Stored(long version, Instant receivedAt, String document) {}
        Stored prev =
                h.createQuery(NEWEST)
                        .bind("target", target.targetId())
                        .map(
                                (rs, c) ->
                                        new Stored(
                                                rs.getLong("version"),
                                                rs.getObject("received_at", OffsetDateTime.class)
                                                        .toInstant(),
                                                rs.getString("document")))
                        .findOne()
                        .orElse(null);
        long stored = prev == null ? 0 : prev.version();
        if (requested != null && requested <= stored) {
            throw new ApiProblem(
                    409,
                    "Stale version",
                    "version "
                            + requested
                            + " is not newer than the stored version "
                            + stored
                            + " of target '"
                            + target.targetId()
                            + "'; the push is ignored",
                    "version");
        }
        List<String> changed;
        if (given != null) {
            changed = given;
        } else if (prev == null) {
            changed = List.of(); // first snapshot: every check runs
        } else {
            changed = ConfigDiff.changedSections(parse(prev.document()), doc);
            if (changed.isEmpty()) {
                Map<String, Object> same = answer(target, stored, changed, prev.receivedAt());
                same.put("status", "unchanged");
                return new Pushed(200, same, null);
            }
        }
        long version = requested != null ? requested : stored + 1;
        Instant at =
                h.createQuery(INSERT)
                        .bind("target", target.targetId())
                        .bind("version", version)
                        .bind(
                                "after",
                                prev == null
                                        ? null
                                        : OffsetDateTime.ofInstant(
                                                prev.receivedAt(), ZoneOffset.UTC))
                        .bind("doc", text)
                        .bind("sections", changed.toArray(String[]::new))
                        .mapTo(OffsetDateTime.class)
                        .one()
                        .toInstant();
        h.createUpdate("delete from config_snapshots where target_id = :t and version <= :v")
                .bind("t", target.targetId())
                .bind("v", version - KEEP_VERSIONS)
                .execute();
        Map<String, Object> json = answer(target, version, changed, at);
        json.put("status", "accepted");
        return new Pushed(202, json, new ConfigChange(target, version, changed, at));
    }

    private static Map<String, Object> answer(
            Target target, long version, List<String> changed, Instant at) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("target_id", target.targetId());
        json.put("version", version);
        json.put("changed_sections", changed);
        json.put("received_at", Rfc3339.format(at));
        return json;
    }

    public void fetch(Context ctx) {
        auth.service(ctx);
        String target = ctx.pathParam("target_id");
        @Nullable Long version = version(ctx);
        String sql =
                version == null
                        ? NEWEST
                        : "select version, document::text as document from config_snapshots"
                                + " where target_id = :target and version = :version";
        record Row(long version, String document) {}
        Row row =
                jdbi.withHandle(
                                h ->
                                        h.createQuery(sql)
                                                .bind("target", target)
                                                .bind("version", version)
                                                .map(
                                                        (rs, c) ->
                                                                new Row(
                                                                        rs.getLong("version"),
                                                                        rs.getString("document")))
                                                .findOne())
                        .orElseThrow(
                                () ->
                                        new ApiProblem(
                                                404,
                                                "Not found",
                                                "no pushed configuration for target '"
                                                        + target
                                                        + "'"
                                                        + (version == null
                                                                ? ""
                                                                : " at version "
                                                                        + version
                                                                        + " (never stored, or"
                                                                        + " pruned after "
                                                                        + KEEP_VERSIONS
                                                                        + " newer ones)"),
                                                "target_id"));
        ctx.header("Vigil-Config-Version", Long.toString(row.version()));
        ctx.contentType("application/json").result(row.document().getBytes(StandardCharsets.UTF_8));
    }

    private static Target target(Handle h, Scope scope) {
        boolean zone = scope.zoneId() != null;
        String id = zone ? scope.zoneId() : scope.accountId();
        return h.createQuery(
                        "select target_id, kind, account_id, zone_id, name, plan from targets"
                                + " where target_id = :id and kind = :kind and deleted_at is null")
                .bind("id", id)
                .bind("kind", zone ? "zone" : "account")
                .map(
                        (rs, c) ->
                                new Target(
                                        rs.getString("target_id"),
                                        TargetKind.valueOf(
                                                rs.getString("kind").toUpperCase(Locale.ROOT)),
                                        rs.getString("account_id"),
                                        rs.getString("zone_id"),
                                        rs.getString("name"),
                                        Plan.valueOf(
                                                rs.getString("plan").toUpperCase(Locale.ROOT))))
                .findOne()
                .orElseThrow(
                        () ->
                                new ApiProblem(
                                        404,
                                        "Not found",
                                        "account '" + id + "' is not a known target",
                                        "account_id"));
    }

    private static @Nullable Long version(Context ctx) {
        String raw = ctx.queryParam("version");
        if (raw == null) {
            return null;
        }
        try {
            long v = Long.parseLong(raw);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.badRequest(
                "version", "query parameter version must be an integer >= 1, got '" + raw + "'");
    }

    private static @Nullable List<String> sections(Context ctx) {
        String raw = ctx.queryParam("changed_sections");
        if (raw == null) {
            return null;
        }
        List<String> list =
                Arrays.stream(raw.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .distinct()
                        .sorted()
                        .toList();
        if (list.isEmpty()) {
            throw ApiProblem.badRequest(
                    "changed_sections",
                    "query parameter changed_sections must name at least one section"
                            + " (comma-separated), or be left out to have the API compute them");
        }
        return list;
    }

    /** The body, at most {@link #MAX_DOCUMENT_BYTES}; 413 past that, read no further. */
    private static byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_DOCUMENT_BYTES) {
            throw tooLarge(declared);
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] bytes = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
            if (bytes.length > MAX_DOCUMENT_BYTES) {
                throw tooLarge(bytes.length);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("reading a pushed configuration", e);
        }
    }

    private static ApiProblem tooLarge(long size) {
        return new ApiProblem(
                413,
                "Document too large",
                "the configuration document has "
                        + size
                        + "+ bytes; the most accepted is "
                        + MAX_DOCUMENT_BYTES,
                "body");
    }

    /** A pushed document, read strictly: see {@link PushedJson}. */
    private static JsonNode parse(byte[] raw) {
        return PushedJson.object(raw);
    }

    private static JsonNode parse(String text) {
        JsonNode doc;
        try {
            doc = Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw ApiProblem.badRequest(
                    "body",
                    "the configuration document is not valid JSON: " + e.getOriginalMessage());
        }
        if (doc == null || !doc.isObject()) {
            throw ApiProblem.badRequest(
                    "body", "the configuration document must be one JSON object");
        }
        return doc;
    }
}
