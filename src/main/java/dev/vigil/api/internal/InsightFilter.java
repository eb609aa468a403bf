package dev.vigil.api.internal;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The filters of the insight routes (list, counts, exports, bulk dismissal). Each filter takes
 * values repeated or comma-separated (OR within a filter, AND across filters) and has a negated
 * form {@code <filter>~neq} ({@code not_<filter>} is kept as an alias). {@code status} defaults to
 * {@code open} when neither form is given. Unknown parameters are refused, naming them, so a typo
 * never silently widens the result.
 */
public record InsightFilter(List<Clause> clauses) {

    /** The most filter values (over every filter, after splitting at commas) in one request. */
    public static final int MAX_FILTER_VALUES = 100;

    /** One filter: a field, whether negated, and its values (already bound form). */
    public record Clause(FilterField field, boolean negated, List<String> values) {
        public Clause {
            values = List.copyOf(values);
        }
    }

    public InsightFilter {
        clauses = List.copyOf(clauses);
    }

    /** Every parameter name a filter accepts, for error messages and route checks. */
    static Set<String> params() {
        Set<String> out = new TreeSet<>();
        for (FilterField f : FilterField.values()) {
            out.add(f.param);
            out.add(f.param + "~neq");
            out.add("not_" + f.param);
        }
        return out;
    }

    /**
     * Parses the filters of {@code ctx}'s query; {@code others} are the further parameters the
     * route accepts (paging, sort, format), parsed by the caller.
     *
     * @throws ApiProblem 400 naming the parameter for an unknown one or a bad value
     */
    public static InsightFilter parse(Context ctx, Set<String> others) {
        Map<String, List<String>> q = ctx.queryParamMap();
        for (String name : q.keySet()) {
            if (!others.contains(name) && !params().contains(name)) {
                throw ApiProblem.badRequest(
                        name,
                        "unknown query parameter '"
                                + name
                                + "' (filters: issue_class, issue_type, severity, status,"
                                + " dismissed, zone_id, subject, classification, compliance, each"
                                + " negated as"
                                + " <filter>~neq"
                                + (others.isEmpty() ? "" : "; also " + String.join(", ", others))
                                + ")");
            }
        }
        List<Clause> clauses = new ArrayList<>();
        boolean statusGiven = false;
        int given = 0;
        for (FilterField f : FilterField.values()) {
            Map<String, Boolean> forms = new LinkedHashMap<>();
            forms.put(f.param, false);
            forms.put(f.param + "~neq", true);
            forms.put("not_" + f.param, true);
            for (Map.Entry<String, Boolean> form : forms.entrySet()) {
                List<String> raw = values(ctx, form.getKey(), f);
                given += raw.size();
                List<String> values =
                        f == FilterField.COMPLIANCE ? checks(form.getKey(), raw) : raw;
                if (!values.isEmpty()) {
                    clauses.add(new Clause(f, form.getValue(), values));
                    statusGiven |= f == FilterField.STATUS;
                }
            }
        }
        // Counted as given: a framework stands for its checks but is one value to the caller.
        int values = given;
        if (values > MAX_FILTER_VALUES) {
            throw new ApiProblem(
                    400,
                    "Too many filters",
                    "the filters name "
                            + values
                            + " values; the most accepted is "
                            + MAX_FILTER_VALUES
                            + " (cap max_filter_values): narrow by issue_class or severity instead",
                    "query");
        }
        if (!statusGiven) {
            clauses.add(new Clause(FilterField.STATUS, false, List.of("open")));
        }
        return new InsightFilter(clauses);
    }

    /** Whether any filter was given beyond the default status. */
    public static boolean narrowed(Context ctx) {
        return ctx.queryParamMap().keySet().stream().anyMatch(params()::contains);
    }

    /** The check ids that compliance values name, each at most once. */
    private static List<String> checks(String name, List<String> values) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String v : values) {
            out.addAll(ComplianceCatalogue.shipped().checksOf(name, v));
        }
        return List.copyOf(out);
    }

    private static List<String> values(Context ctx, String name, FilterField f) {
        List<String> out = new ArrayList<>();
        for (String raw : ctx.queryParams(name)) {
            for (String v : raw.split(",", -1)) {
                String value = v.trim();
                if (value.isEmpty()) {
                    continue;
                }
                if (!f.allowed().isEmpty() && !f.allowed().contains(value)) {
                    throw ApiProblem.badRequest(
                            name,
                            "query parameter '"
                                    + name
                                    + "' has an unknown value '"
                                    + value
                                    + "' (expected one of "
                                    + String.join(", ", f.allowed())
                                    + ")");
                }
                out.add(f.bound(value));
            }
        }
        return out;
    }

    /**
     * The SQL conditions of these filters on insights alias {@code i}, joined with {@code and},
     * each value bound into {@code binds} (never spliced into the text).
     */
    public String sql(Map<String, Object> binds) {
        StringBuilder sb = new StringBuilder("true");
        int n = 0;
        for (Clause c : clauses) {
            String p = "f" + n++;
            binds.put(p, c.values().toArray(String[]::new));
            String match = c.field().matchAny(p);
            sb.append(" and ").append(c.negated() ? "not " + match : match);
        }
        return sb.toString();
    }

    /** Parses a bounded integer parameter; {@code dflt} when absent. */
    public static int integer(Context ctx, String name, int dflt, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiProblem.badRequest(
                name,
                "query parameter '"
                        + name
                        + "' must be an integer from "
                        + min
                        + " to "
                        + max
                        + ", got '"
                        + raw
                        + "'");
    }
}
