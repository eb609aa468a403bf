package dev.vigil.config;

import java.io.Console;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The source of settings: the process environment, or a map in tests and in {@code demo}. Each
 * setting read is remembered so the effective configuration can be logged with secrets masked.
 *
 * <p>Not thread-safe: configuration is read once, at start, on one thread.
 */
public final class Env {
    private final Map<String, String> values;
    private final Map<String, String> effective = new LinkedHashMap<>();

    private Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The process environment. */
    public static Env system() {
        return new Env(System.getenv());
    }

    /**
     * Whether this process talks to a person: standard input and output are a terminal. Decides
     * between a live progress line and plain log lines. Since JDK 22 {@link System#console()} has a
     * console even when redirected, so only {@link Console#isTerminal()} answers this; it is still
     * null under {@code -Djdk.console=java.base} without a terminal, hence the check.
     */
    @SuppressWarnings("SystemConsoleNull")
    public static boolean onTerminal() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    /** Explicit values, e.g. for tests or an embedded setup; nothing is read from the process. */
    public static Env of(Map<String, String> values) {
        return new Env(values);
    }

    /** A copy of this environment with some values replaced. */
    public Env with(Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>(values);
        m.putAll(overrides);
        return new Env(m);
    }

    /**
     * Reads and validates one setting.
     *
     * @throws ConfigException naming the variable, the masked value and the expected form
     */
    public <T> T get(Setting<T> setting) {
        String raw = values.get(setting.name());
        if (raw == null || raw.isBlank()) {
            raw = setting.defaultValue();
        }
        if (raw == null) {
            throw new ConfigException(
                    setting.name()
                            + " is not set: "
                            + setting.doc()
                            + ". Set it to "
                            + setting.expected()
                            + ".");
        }
        effective.put(setting.name(), setting.shown(raw));
        try {
            return setting.parser().apply(raw);
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigException(
                    setting.name()
                            + "="
                            + setting.shown(raw)
                            + " is invalid: expected "
                            + setting.expected()
                            + " ("
                            + setting.doc()
                            + ")",
                    e);
        }
    }

    /** The raw value of a variable, if set, without validation. */
    public @Nullable String raw(String name) {
        return values.get(name);
    }

    /** Every setting read so far, secrets masked, in reading order: for the start-up log. */
    public Map<String, String> effective() {
        return Map.copyOf(effective);
    }

    /** Masks a secret, keeping at most its first two characters as a hint. */
    public static String mask(String secret) {
        if (secret.length() <= 4) {
            return "****";
        }
        return secret.substring(0, 2) + "****";
    }
}
