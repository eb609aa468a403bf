package dev.vigil.alerts;

import dev.vigil.alerts.internal.CidrRange;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The operator's allow-list of outbound alert destinations, {@code VIGIL_ALERT_ALLOWED_HOSTS}:
 * comma-separated host names ({@code hooks.internal.example}), wildcards covering every subdomain
 * of a domain ({@code *.example.com}, not {@code example.com} itself), IP addresses ({@code
 * 10.1.2.3}, {@code fd00::1}) and CIDR ranges ({@code 10.1.0.0/16}). It extends the default, which
 * permits public addresses only; see {@link OutboundPolicy}. Immutable.
 */
public final class AllowedHosts {

    private static final Pattern HOST_NAME =
            Pattern.compile(
                    "[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");

    private final Set<String> names;
    private final List<String> suffixes;
    private final List<CidrRange> ranges;
    private final String text;

    private AllowedHosts(
            Set<String> names, List<String> suffixes, List<CidrRange> ranges, String text) {
        this.names = Set.copyOf(names);
        this.suffixes = List.copyOf(suffixes);
        this.ranges = List.copyOf(ranges);
        this.text = text;
    }

    /** Nothing beyond the default: public addresses only. */
    public static AllowedHosts none() {
        return new AllowedHosts(Set.of(), List.of(), List.of(), "");
    }

    /**
     * Parses the setting's form; blank entries are ignored. Never resolves a name.
     *
     * @throws IllegalArgumentException naming the first entry that is no host name, wildcard, IP
     *     address or CIDR range
     */
    public static AllowedHosts parse(String text) {
        Set<String> names = new TreeSet<>();
        List<String> suffixes = new ArrayList<>();
        List<CidrRange> ranges = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("/") || entry.contains(":") || looksNumeric(entry)) {
                ranges.add(CidrRange.parse(entry));
            } else if (entry.startsWith("*.") && HOST_NAME.matcher(entry.substring(2)).matches()) {
                suffixes.add(entry.substring(1));
            } else if (HOST_NAME.matcher(trimDot(entry)).matches()) {
                names.add(trimDot(entry));
            } else {
                throw new IllegalArgumentException(
                        "'"
                                + raw.strip()
                                + "' is not a host name, *.domain wildcard, IP address or CIDR"
                                + " range");
            }
        }
        return new AllowedHosts(names, suffixes, ranges, text.strip());
    }

    /** Whether the list names {@code host} (a host name), exactly or by a wildcard. */
    public boolean permitsName(String host) {
        String h = trimDot(host.toLowerCase(Locale.ROOT));
        if (names.contains(h)) {
            return true;
        }
        for (String suffix : suffixes) {
            if (h.endsWith(suffix) && h.length() > suffix.length()) {
                return true;
            }
        }
        return false;
    }

    /** Whether an IP address or range of the list holds {@code address}. */
    public boolean permits(InetAddress address) {
        for (CidrRange r : ranges) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean looksNumeric(String entry) {
        return entry.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static String trimDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** The list as configured. */
    @Override
    public String toString() {
        return text.isEmpty() ? "(none)" : text;
    }
}
