package dev.vigil.checks.internal;

import dev.vigil.checks.internal.JavaForm.Fallback;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operations of {@link JavaForm} on the values a decoded document holds ({@code Map}, {@code
 * List}, {@code String}, {@code Long}, {@code Boolean}; see {@code ConfigDocuments}). Each gives
 * CEL's value for the types it accepts and throws {@link Fallback} for anything else: doubles,
 * CEL's {@code null}, mixed types, absent keys, indexes out of range, overflow.
 */
final class JavaFormOps {

    private JavaFormOps() {}

    static boolean bool(Object o) {
        if (o instanceof Boolean b) {
            return b;
        }
        throw Fallback.INSTANCE;
    }

    static String string(Object o) {
        if (o instanceof String s) {
            return s;
        }
        throw Fallback.INSTANCE;
    }

    /** {@code has(o.field)} on a map. */
    static Boolean has(Object o, String field) {
        if (o instanceof Map<?, ?> m) {
            return m.containsKey(field);
        }
        throw Fallback.INSTANCE;
    }

    /** {@code o.field}: the member of a map, present and not a Java null. */
    static Object field(Object o, String field) {
        if (o instanceof Map<?, ?> m) {
            Object v = m.get(field);
            if (v != null) {
                return v;
            }
        }
        throw Fallback.INSTANCE;
    }

    /** {@code o.?field}: on a map, or on an optional (empty stays empty). */
    static Optional<Object> optionalField(Object o, String field) {
        Object target = o;
        if (o instanceof Optional<?> opt) {
            if (opt.isEmpty()) {
                return Optional.empty();
            }
            target = opt.get();
        }
        if (target instanceof Map<?, ?> m) {
            return member(m, field);
        }
        throw Fallback.INSTANCE;
    }

    /** {@code m[?key]} on a map with a string key. */
    static Object optionalIndex(Object o, Object key) {
        if (o instanceof Map<?, ?> m && key instanceof String k) {
            return member(m, k);
        }
        throw Fallback.INSTANCE;
    }

    /** A map's member as an optional: empty when absent; a Java null falls back. */
    private static Optional<Object> member(Map<?, ?> m, String key) {
        if (!m.containsKey(key)) {
            return Optional.empty();
        }
        Object v = m.get(key);
        if (v == null) {
            throw Fallback.INSTANCE;
        }
        return Optional.of(v);
    }

    /** {@code o[key]}: a map by a present string key, a list by an index in range. */
    static Object index(Object o, Object key) {
        if (o instanceof Map<?, ?> m && key instanceof String k) {
            Object v = m.get(k);
            if (v != null) {
                return v;
            }
        } else if (o instanceof List<?> l && key instanceof Long i && i >= 0 && i < l.size()) {
            Object v = l.get(i.intValue());
            if (v != null) {
                return v;
            }
        }
        throw Fallback.INSTANCE;
    }

    /** CEL's {@code ==} for two strings, two booleans or two ints; anything else falls back. */
    static boolean equal(Object a, Object b) {
        if ((a instanceof String && b instanceof String)
                || (a instanceof Boolean && b instanceof Boolean)
                || (a instanceof Long && b instanceof Long)) {
            return a.equals(b);
        }
        throw Fallback.INSTANCE;
    }

    /** Order of two ints. */
    static int compare(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        throw Fallback.INSTANCE;
    }

    /** {@code x in list} (by {@link #equal}) or {@code key in map} (a string key). */
    static Object in(Object x, Object collection) {
        if (collection instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                if (equal(x, l.get(i))) {
                    return true;
                }
            }
            return false;
        }
        if (collection instanceof Map<?, ?> m && x instanceof String k) {
            return m.containsKey(k);
        }
        throw Fallback.INSTANCE;
    }

    /** {@code +} of two strings, two lists or two ints (overflow falls back). */
    static Object add(Object a, Object b) {
        if (a instanceof String s && b instanceof String t) {
            return s.concat(t);
        }
        if (a instanceof List<?> l && b instanceof List<?> m) {
            List<Object> out = new ArrayList<>(l.size() + m.size());
            out.addAll(l);
            out.addAll(m);
            return out;
        }
        if (a instanceof Long x && b instanceof Long y) {
            return Math.addExact(x, y); // overflow throws: CEL reports it
        }
        throw Fallback.INSTANCE;
    }

    /** {@code -} of two ints (overflow falls back). */
    static Object subtract(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Math.subtractExact(x, y);
        }
        throw Fallback.INSTANCE;
    }

    /** {@code size}: a string's code points, a list's or a map's entries. */
    static Object size(Object o) {
        if (o instanceof String s) {
            return (long) s.codePointCount(0, s.length());
        }
        if (o instanceof List<?> l) {
            return (long) l.size();
        }
        if (o instanceof Map<?, ?> m) {
            return (long) m.size();
        }
        throw Fallback.INSTANCE;
    }

    /** The strings extension's {@code lowerAscii}: A–Z only. */
    static String lowerAscii(String s) {
        char[] out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = s.toCharArray();
                }
                out[i] = (char) (c + ('a' - 'A'));
            }
        }
        return out == null ? s : new String(out);
    }

    /** The strings extension's {@code upperAscii}: a–z only. */
    static String upperAscii(String s) {
        char[] out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                if (out == null) {
                    out = s.toCharArray();
                }
                out[i] = (char) (c - ('a' - 'A'));
            }
        }
        return out == null ? s : new String(out);
    }

    /**
     * The strings extension's {@code split} by a non-empty separator: every part, empty ones too.
     */
    static List<String> split(String s, String separator) {
        if (separator.isEmpty()) {
            throw Fallback.INSTANCE;
        }
        List<String> out = new ArrayList<>();
        int from = 0;
        int at;
        while ((at = s.indexOf(separator, from)) >= 0) {
            out.add(s.substring(from, at));
            from = at + separator.length();
        }
        out.add(s.substring(from));
        return out;
    }

    /** The strings extension's {@code join} of a list of strings. */
    static String join(Object list, String separator) {
        if (!(list instanceof List<?> l)) {
            throw Fallback.INSTANCE;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) {
                out.append(separator);
            }
            out.append(string(l.get(i)));
        }
        return out.toString();
    }

    /** The strings extension's {@code replace} of every occurrence of a non-empty string. */
    static String replace(String s, String from, String to) {
        if (from.isEmpty()) {
            throw Fallback.INSTANCE;
        }
        return s.replace(from, to);
    }
}
