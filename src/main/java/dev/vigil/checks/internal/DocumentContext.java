package dev.vigil.checks.internal;

import dev.cel.runtime.CelVariableResolver;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One document prepared for evaluation: the variables every check shares, computed at most once per
 * document, when first read ({@code now} from {@code _fetched_at}, {@code records_by_type} from
 * {@code dns_records}), and the missing-permission markers of {@code _errors}. Not thread-safe; one
 * per evaluation.
 */
public final class DocumentContext implements CelVariableResolver {

    /** Top-level key of the missing-permission markers: section name to reason. */
    public static final String ERRORS = "_errors";

    /** Top-level key of the instant the source fetched the document (RFC 3339). */
    public static final String FETCHED_AT = "_fetched_at";

    private final Map<String, Object> doc;
    private final Instant fallbackNow;
    private @Nullable Instant now;
    private @Nullable Map<String, List<Object>> recordsByType;
    private @Nullable Map<String, List<Object>> recordsByName;

    public DocumentContext(Map<String, Object> doc, Instant fallbackNow) {
        this.doc = doc;
        this.fallbackNow = fallbackNow;
    }

    public Map<String, Object> doc() {
        return doc;
    }

    /** The reason the source gave for not fetching {@code section}, or null. */
    public @Nullable String permissionError(String section) {
        if (doc.get(ERRORS) instanceof Map<?, ?> errors && errors.get(section) != null) {
            return String.valueOf(errors.get(section));
        }
        return null;
    }

    public boolean has(String section) {
        return doc.containsKey(section);
    }

    @Override
    public Optional<Object> find(String name) {
        return switch (name) {
            case CelEnvironment.DOC -> Optional.of(doc);
            case CelEnvironment.NOW -> Optional.of(now());
            case CelEnvironment.RECORDS_BY_TYPE -> Optional.of(recordsByType());
            case CelEnvironment.RECORDS_BY_NAME -> Optional.of(recordsByName());
            default -> Optional.empty();
        };
    }

    /**
     * The document's {@code _fetched_at}, else the evaluation's time; parsed on first use: two
     * checks read it, and parsing it for every document was a tenth of the fast worker's rule
     * evaluation (docs/perf/2026-12-06-fetch-once.md).
     */
    private Instant now() {
        if (now == null) {
            Instant fetched = fallbackNow;
            if (doc.get(FETCHED_AT) instanceof String s) {
                try {
                    fetched = Instant.parse(s);
                } catch (DateTimeParseException e) {
                    fetched = fallbackNow; // a malformed stamp is the source's bug; "now" is safest
                }
            }
            now = fetched;
        }
        return now;
    }

    /** DNS records grouped by canonical name (see {@link IpAddresses#fqdn}); built on first use. */
    private Map<String, List<Object>> recordsByName() {
        if (recordsByName == null) {
            Map<String, List<Object>> byName = new HashMap<>();
            if (doc.get("dns_records") instanceof List<?> records) {
                for (Object r : records) {
                    if (r instanceof Map<?, ?> m && m.get("name") instanceof String n) {
                        byName.computeIfAbsent(
                                        IpAddresses.fqdn(n), k -> new java.util.ArrayList<>())
                                .add(r);
                    }
                }
            }
            recordsByName = byName;
        }
        return recordsByName;
    }

    /** DNS records grouped by upper-cased type, in document order; built on first use. */
    private Map<String, List<Object>> recordsByType() {
        if (recordsByType == null) {
            Map<String, List<Object>> byType = new HashMap<>();
            if (doc.get("dns_records") instanceof List<?> records) {
                for (Object r : records) {
                    if (r instanceof Map<?, ?> m && m.get("type") instanceof String t) {
                        byType.computeIfAbsent(
                                        t.toUpperCase(Locale.ROOT),
                                        k -> new java.util.ArrayList<>())
                                .add(r);
                    }
                }
            }
            recordsByType = byType;
        }
        return recordsByType;
    }
}
