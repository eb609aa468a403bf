package dev.vigil.checks;

import dev.vigil.checks.internal.CheckCompiler;
import dev.vigil.checks.internal.CompiledCheck;
import dev.vigil.checks.internal.ParsedRule;
import dev.vigil.checks.internal.RuleFileParser;
import dev.vigil.checks.internal.RuleSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Loads rule sets: the catalogue shipped on the classpath under {@code checks/} (listed in {@code
 * checks/index.txt}, since a jar's directories cannot be listed), plus an optional user directory
 * whose {@code *.yaml} / {@code *.yml} files (searched recursively) add checks or replace catalogue
 * checks with the same id.
 */
public final class RuleSets {

    /** Classpath location of the catalogue's index: one rule path per line, relative to it. */
    public static final String INDEX = "checks/index.txt";

    private static volatile @Nullable List<Loaded> catalogue;

    private RuleSets() {}

    /**
     * The shipped catalogue, compiled once per process.
     *
     * @throws RuleSetException when a shipped rule is broken (a build defect)
     */
    public static RuleSet catalogue() {
        return assemble(shipped(), Map.of());
    }

    /**
     * The catalogue plus the rules of {@code userDir} (null: the catalogue alone).
     *
     * @throws RuleSetException naming the file, line, field and reason of the first broken rule, or
     *     a duplicate id within the user directory
     */
    public static RuleSet load(@Nullable Path userDir) {
        if (userDir == null) {
            return catalogue();
        }
        Map<String, Loaded> user = new TreeMap<>();
        for (RuleSource src : userSources(userDir)) {
            Loaded l = compile(src);
            Loaded previous = user.put(l.check.id(), l);
            if (previous != null) {
                throw new RuleSetException(
                        src.name()
                                + ":1: field 'id': duplicate check id '"
                                + l.check.id()
                                + "', also defined in "
                                + previous.source.name());
            }
        }
        return assemble(shipped(), user);
    }

    /**
     * The catalogue plus {@code userFiles} (a pushed rule set's files, by name): what {@link #load}
     * builds from a directory holding those files, with the same digest.
     *
     * @throws RuleSetException as {@link #load} does
     */
    public static RuleSet withUserFiles(List<RuleFile> userFiles) {
        Map<String, Loaded> user = new TreeMap<>();
        List<RuleFile> sorted =
                userFiles.stream().sorted(java.util.Comparator.comparing(RuleFile::name)).toList();
        for (RuleFile f : sorted) {
            Loaded l = compile(new RuleSource(f.name(), f.text()));
            Loaded previous = user.put(l.check.id(), l);
            if (previous != null) {
                throw new RuleSetException(
                        f.name()
                                + ":1: field 'id': duplicate check id '"
                                + l.check.id()
                                + "', also defined in "
                                + previous.source.name());
            }
        }
        return assemble(shipped(), user);
    }

    /**
     * A pushed rule set as a worker holds it: the catalogue plus {@code userFiles}, known by the
     * {@code version} the API registered it under (which equals its own digest unless the two
     * processes ship different catalogues, e.g. in the middle of an upgrade).
     */
    public static RuleSet pushed(String version, List<RuleFile> userFiles) {
        return withUserFiles(userFiles).labelled(version);
    }

    /** The rule files of {@code dir} (as {@link #load} reads them), by their path under it. */
    public static List<RuleFile> files(Path dir) {
        List<RuleFile> out = new ArrayList<>();
        for (RuleSource src : userSources(dir)) {
            out.add(
                    new RuleFile(
                            dir.relativize(Path.of(src.name())).toString().replace('\\', '/'),
                            src.text()));
        }
        return out;
    }

    /** Compiles rule sources alone (no catalogue), e.g. for tests and the {@code check} tool. */
    public static RuleSet fromSources(List<RuleSource> sources) {
        Map<String, Loaded> byId = new TreeMap<>();
        for (RuleSource src : sources) {
            Loaded l = compile(src);
            if (byId.put(l.check.id(), l) != null) {
                throw new RuleSetException(
                        src.name() + ":1: field 'id': duplicate check id '" + l.check.id() + "'");
            }
        }
        return assemble(List.of(), byId);
    }

    private static RuleSet assemble(List<Loaded> base, Map<String, Loaded> overrides) {
        Map<String, Loaded> all = new TreeMap<>();
        for (Loaded l : base) {
            all.put(l.check.id(), l);
        }
        all.putAll(overrides);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
        List<CompiledCheck> checks = new ArrayList<>();
        for (Loaded l : all.values()) {
            sha.update(l.source.text().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            checks.add(l.check);
        }
        String version = HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        return new RuleSet(version, checks);
    }

    private static List<Loaded> shipped() {
        List<Loaded> c = catalogue;
        if (c == null) {
            synchronized (RuleSets.class) {
                c = catalogue;
                if (c == null) {
                    c = new ArrayList<>();
                    for (RuleSource src : classpathSources()) {
                        c.add(compile(src));
                    }
                    c = List.copyOf(c);
                    catalogue = c;
                }
            }
        }
        return c;
    }

    private static Loaded compile(RuleSource src) {
        ParsedRule rule = RuleFileParser.parse(src);
        return new Loaded(src, CheckCompiler.compile(rule));
    }

    private static List<RuleSource> classpathSources() {
        ClassLoader cl = RuleSets.class.getClassLoader();
        String index = read(cl, INDEX);
        List<RuleSource> out = new ArrayList<>();
        for (String line : index.lines().toList()) {
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            String name = "checks/" + entry;
            out.add(new RuleSource(name, read(cl, name)));
        }
        return out;
    }

    private static String read(ClassLoader cl, String name) {
        try (InputStream in = cl.getResourceAsStream(name)) {
            if (in == null) {
                throw new RuleSetException(
                        name + ":1: listed in " + INDEX + " but not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name, e);
        }
    }

    /** The rule files of a user directory, sorted by path. */
    static List<RuleSource> userSources(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new RuleSetException(
                    dir
                            + ":1: rule directory does not exist or is not a directory"
                            + " (set it to an existing directory or leave it unset)");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> paths =
                    files.filter(Files::isRegularFile)
                            .filter(
                                    p ->
                                            p.toString().endsWith(".yaml")
                                                    || p.toString().endsWith(".yml"))
                            .sorted()
                            .toList();
            List<RuleSource> out = new ArrayList<>();
            for (Path p : paths) {
                out.add(new RuleSource(p.toString(), Files.readString(p)));
            }
            return out;
        } catch (IOException e) {
            throw new RuleSetException(dir + ":1: cannot read rule directory: " + e, e);
        }
    }

    private record Loaded(RuleSource source, CompiledCheck check) {}
}
