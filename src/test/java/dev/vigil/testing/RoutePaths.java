package dev.vigil.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the path parameters of a documented route ({@code /v1/accounts/{account_id}/insights}) for
 * the tests that walk every route of openapi.yaml. Each walk names the values that are its own (the
 * accounts, zones and ids of its fixtures); the rest come from {@link #DEFAULTS}.
 *
 * <p>A parameter without a value fails the walk at once, naming the route and the parameter. Each
 * walk used to keep its own chain of replacements, and every merge that added a path parameter
 * broke one of them: the route was called with {@code {version}} in its path, and the walk failed
 * later on a status that did not say why. Immutable.
 */
public final class RoutePaths {

    private static final Pattern PARAMETER = Pattern.compile("\\{([^{}/]*)}");

    /**
     * The values any walk may use: a token id, a check, a compliance framework and a rule-set
     * version of the right shape; no walk depends on what they name.
     */
    public static final Map<String, String> DEFAULTS =
            Map.of(
                    "token_id", "1",
                    "check_id", "tls.ssl_flexible",
                    "framework", "cis_v8",
                    "version", "0123456789ab");

    private final Map<String, String> values;

    private RoutePaths(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /**
     * The {@link #DEFAULTS}, overridden and completed by {@code values} (parameter name, without
     * braces, to value), and a {@code scan_id} of a scan that does not exist unless {@code values}
     * names one.
     */
    public static RoutePaths of(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(DEFAULTS);
        all.put("scan_id", UUID.randomUUID().toString());
        all.putAll(values);
        return new RoutePaths(all);
    }

    /**
     * {@code template} with every path parameter replaced by its value, without the leading slash
     * (relative to the API's base URL).
     *
     * @throws AssertionError naming the route and the first parameter that has no value
     */
    public String fill(String template) {
        Matcher m = PARAMETER.matcher(template);
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new AssertionError(
                        "route "
                                + template
                                + " has the path parameter {"
                                + m.group(1)
                                + "}, which this walk has no value for (it has "
                                + new TreeSet<>(values.keySet())
                                + "): add it to RoutePaths.DEFAULTS, or to the walk's"
                                + " RoutePaths.of(…) when its value is the test's own");
            }
            m.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        m.appendTail(path);
        return !path.isEmpty() && path.charAt(0) == '/' ? path.substring(1) : path.toString();
    }
}
