package dev.vigil.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts child processes in a session (and so a process group) of their own, through util-linux's
 * {@code setsid}, so that a terminal's Ctrl-C, which the kernel sends to the whole foreground
 * process group, reaches this JVM only: the JVM then stops its children itself, in its own order
 * (roles drain before the servers they use go away). Java's {@code ProcessBuilder} cannot call
 * {@code setsid(2)} in the child; the {@code setsid} program does, then executes the command in
 * place, so the process started is the command itself (its pid, its exit code, its signals). It
 * never forks here, because a child of a JVM is never a process group leader.
 *
 * <p>Where {@code setsid} is missing, commands run unchanged in the caller's group (a warning is
 * logged once): Ctrl-C then reaches them too, and a role stops on its own SIGINT as on SIGTERM.
 *
 * <p>Used by {@code app.RoleProcess} for the roles and by {@link EmbeddedKafkaCluster} for its
 * brokers; it sits here because {@code embedded} depends on no other feature.
 */
public final class OwnSession {
    private static final Logger log = LoggerFactory.getLogger(OwnSession.class);

    /** Where util-linux installs {@code setsid}, looked up in this order. */
    static final List<Path> CANDIDATES =
            List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private static final Optional<Path> SETSID = find();

    private OwnSession() {}

    private static Optional<Path> find() {
        Optional<Path> found = CANDIDATES.stream().filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            log.warn(
                    "setsid not found at {}: child processes stay in this process group, so a"
                            + " terminal's Ctrl-C reaches them directly (install util-linux to"
                            + " let Vigil stop them itself)",
                    CANDIDATES);
        }
        return found;
    }

    /** {@code command} prefixed with {@code setsid} when it is installed, else unchanged. */
    public static List<String> command(List<String> command) {
        List<String> out = new ArrayList<>();
        SETSID.ifPresent(p -> out.add(p.toString()));
        return Stream.concat(out.stream(), command.stream()).toList();
    }

    /** Whether {@link #command} moves children to a session of their own on this machine. */
    public static boolean available() {
        return SETSID.isPresent();
    }
}
