package dev.vigil.app;

import dev.vigil.config.ConfigException;
import dev.vigil.config.Env;
import dev.vigil.config.KafkaConfig;
import dev.vigil.events.Topics;
import dev.vigil.worker.DeadLetters;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * {@code vigil dlq list|replay}: what is in the dead-letter topic, and putting it back after a fix.
 */
public final class DlqCommands {
    private DlqCommands() {}

    /** Prints one line per dead letter and a count; returns the count. */
    public static int list(Env env, PrintStream out) {
        DeadLetters dl = deadLetters(env);
        List<DeadLetters.Entry> entries = dl.list();
        out.printf(
                "%-9s %-10s %-34s %-48s %-8s %s%n",
                "PARTITION", "OFFSET", "KEY", "ERROR", "ATTEMPTS", "MESSAGE");
        for (DeadLetters.Entry e : entries) {
            out.printf(
                    "%-9d %-10d %-34s %-48s %-8s %s%n",
                    e.partition(),
                    e.offset(),
                    e.key(),
                    shortType(e.errorType()),
                    e.attempts(),
                    e.errorMessage());
        }
        out.println(entries.size() + " dead letter(s)");
        return entries.size();
    }

    /**
     * Replays the dead letters that match every filter ({@code key=K}, {@code error=SUBSTRING},
     * {@code partition=N}) and were not replayed before.
     *
     * @throws IllegalArgumentException naming a malformed filter
     */
    public static int replay(Env env, List<String> filters, PrintStream out) {
        Predicate<DeadLetters.Entry> p = parse(filters);
        List<DeadLetters.Entry> done = deadLetters(env).replay(p);
        for (DeadLetters.Entry e : done) {
            out.printf(
                    "replayed %s (key %s) to %s%n",
                    e.partition() + "@" + e.offset(), e.key(), e.originalTopic());
        }
        out.println(done.size() + " dead letter(s) replayed");
        return done.size();
    }

    static Predicate<DeadLetters.Entry> parse(List<String> filters) {
        List<Predicate<DeadLetters.Entry>> all = new ArrayList<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "--filter '" + f + "' is not NAME=VALUE (names: key, error, partition)");
            }
            String name = f.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = f.substring(eq + 1);
            all.add(
                    switch (name) {
                        case "key" -> e -> value.equals(e.key());
                        case "error" ->
                                e ->
                                        (e.errorType() + ": " + e.errorMessage())
                                                .toLowerCase(Locale.ROOT)
                                                .contains(value.toLowerCase(Locale.ROOT));
                        case "partition" -> e -> Integer.toString(e.partition()).equals(value);
                        default ->
                                throw new IllegalArgumentException(
                                        "--filter '"
                                                + f
                                                + "': unknown name '"
                                                + name
                                                + "' (names: key, error, partition)");
                    });
        }
        return e -> all.stream().allMatch(x -> x.test(e));
    }

    private static DeadLetters deadLetters(Env env) {
        KafkaConfig kc = KafkaConfig.from(env);
        if (kc.bootstrapServers().isBlank()) {
            throw new ConfigException("VIGIL_KAFKA_BOOTSTRAP is empty");
        }
        return new DeadLetters(kc.bootstrapServers(), new Topics(kc.topicPrefix()).deadLetters());
    }

    private static String shortType(String type) {
        int dot = type.lastIndexOf('.');
        return dot < 0 ? type : type.substring(dot + 1);
    }
}
