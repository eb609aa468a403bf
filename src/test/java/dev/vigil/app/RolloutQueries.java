package dev.vigil.app;

import dev.vigil.tokens.ApiTokens;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** What {@link RuleRolloutIT} reads of a pipeline's database and of the rollout's answers. */
final class RolloutQueries {

    private RolloutQueries() {}

    static long openInsights(LocalPipeline p, String checkId) {
        return Jdbi.create(p.database())
                .withHandle(
                        h ->
                                h.createQuery(
                                                "select count(*) from insights where check_id = :c"
                                                        + " and status = 'open'")
                                        .bind("c", checkId)
                                        .mapTo(Long.class)
                                        .one());
    }

    static OffsetDateTime now(LocalPipeline p) {
        return Jdbi.create(p.database())
                .withHandle(
                        h ->
                                h.createQuery("select clock_timestamp()")
                                        .mapTo(OffsetDateTime.class)
                                        .one());
    }

    /** Targets with a scan whose document was fetched since {@code since} (see below). */
    static long scannedTargetsSince(LocalPipeline p, OffsetDateTime since) {
        return Jdbi.create(p.database())
                .withHandle(
                        h ->
                                h.createQuery(
                                                "select count(distinct target_id) from scans"
                                                        + " where scanned_at > :s")
                                        .bind("s", since)
                                        .mapTo(Long.class)
                                        .one());
    }

    /**
     * Scan id to "target|version" of every scan whose document was fetched since {@code since}
     * ({@code scanned_at}). Not by {@code applied_at}: a scan fetched and evaluated before the
     * workers took a new rollout is applied with the version of that moment, and under load its
     * batched result can be stored well after the workers report the new one.
     */
    static Map<String, String> versionsSince(LocalPipeline p, OffsetDateTime since) {
        return Jdbi.create(p.database())
                .withHandle(
                        h ->
                                h
                                        .createQuery(
                                                "select scan_id::text as s, target_id || '|' ||"
                                                        + " rule_set_version as v from scans"
                                                        + " where scanned_at > :s")
                                        .bind("s", since)
                                        .map(
                                                (rs, c) ->
                                                        Map.entry(
                                                                rs.getString("s"),
                                                                rs.getString("v")))
                                        .list()
                                        .stream()
                                        .collect(
                                                Collectors.toMap(
                                                        Map.Entry::getKey,
                                                        Map.Entry::getValue,
                                                        (a, b) -> a)));
    }

    static String admin(LocalPipeline p) {
        return ApiTokens.create(p.database()).issueAdmin("rollout-admin");
    }

    static long wouldOpen(JsonNode diff, String checkId) {
        return check(diff, checkId).path("would_open").asLong();
    }

    static JsonNode check(JsonNode diff, String checkId) {
        for (JsonNode c : diff.path("checks")) {
            if (c.path("check_id").asString().equals(checkId)) {
                return c;
            }
        }
        return tools.jackson.databind.node.MissingNode.getInstance();
    }

    static @Nullable JsonNode rolledBack(RolloutApi api) {
        for (JsonNode e : api.audit()) {
            if (e.path("action").asString().equals("rule_set_rolled_back")) {
                return e;
            }
        }
        return null;
    }

    static List<String> actions(RolloutApi api) {
        List<String> out = new java.util.ArrayList<>();
        api.audit().forEach(e -> out.add(e.path("action").asString()));
        return out;
    }

    /** Every insight with its state, the broken check's aside. */
    static Set<String> insightsBut(LocalPipeline p) {
        return insights(p).stream()
                .filter(i -> !i.contains("|custom.fails_everything|"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> insights(LocalPipeline p) {
        return Set.copyOf(
                Jdbi.create(p.database())
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        """
                                                        select account_id || '|' || coalesce(zone_id, '')
                                                               || '|' || check_id || '|' || resource_key
                                                               || '|' || status || '|' || dismissed
                                                          from insights
                                                        """)
                                                .mapTo(String.class)
                                                .list()));
    }

    static Set<String> zonesWithBrokenInsights(LocalPipeline p) {
        return Set.copyOf(
                Jdbi.create(p.database())
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        "select distinct zone_id from insights"
                                                                + " where check_id = 'custom.fails_everything'")
                                                .mapTo(String.class)
                                                .list()));
    }

    static long openBrokenInsights(LocalPipeline p) {
        return count(
                p,
                "select count(*) from insights where check_id = 'custom.fails_everything'"
                        + " and status = 'open'");
    }

    static long count(LocalPipeline p, String sql) {
        return Jdbi.create(p.database())
                .withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    /** The rule-set versions of the scans that last saw the open insights of {@code checkId}. */
    static Set<String> lastScanVersions(LocalPipeline p, String checkId) {
        return Set.copyOf(
                Jdbi.create(p.database())
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        """
                                                        select distinct s.rule_set_version
                                                          from insights i
                                                          join scans s on s.scan_id = i.last_scan_id
                                                         where i.check_id = :c
                                                           and i.status = 'open'
                                                        """)
                                                .bind("c", checkId)
                                                .mapTo(String.class)
                                                .list()));
    }
}
