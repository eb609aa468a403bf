package dev.vigil.embedded.internal;

import dev.vigil.embedded.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Free loopback ports, temporary directories and their removal. */
public final class LocalResources {

    /** The loopback address every embedded server binds to; nothing listens beyond the host. */
    public static final String LOOPBACK = "127.0.0.1";

    private LocalResources() {}

    /** {@link #LOOPBACK} as an address, built from its bytes: no name lookup. */
    private static InetAddress loopback() throws IOException {
        return InetAddress.getByAddress(LOOPBACK, new byte[] {127, 0, 0, 1});
    }

    /** A free loopback port, never one this JVM handed out before: see {@link LoopbackPorts}. */
    public static int freePort() {
        return LoopbackPorts.free();
    }

    /** Whether something accepts TCP connections on the loopback port. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(loopback(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates a temporary directory whose name starts with the prefix. */
    public static Path tempDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory " + prefix, e);
        }
    }

    /** Deletes the directory and everything under it; a directory already gone is fine. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(
                    dir,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                                throws IOException {
                            Files.deleteIfExists(file);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(
                                Path d, @org.jspecify.annotations.Nullable IOException e)
                                throws IOException {
                            Files.deleteIfExists(d);
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
