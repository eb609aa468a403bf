package dev.vigil.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The machine a benchmark ran on, for the report's header. */
public record Machine(int cpus, String cpuModel, long memoryBytes, String jdk, String date) {

    public static Machine describe() {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                procField("/proc/cpuinfo", "model name"),
                memTotal(),
                System.getProperty("java.vm.name")
                        + " "
                        + System.getProperty("java.runtime.version"),
                ZonedDateTime.now(ZoneId.systemDefault())
                        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    /** Markdown lines. */
    public String markdown() {
        return "- CPUs (nproc): "
                + cpus
                + "\n- CPU model: "
                + cpuModel
                + "\n- Memory: "
                + String.format("%.1f GiB", memoryBytes / (1024.0 * 1024 * 1024))
                + "\n- JDK: "
                + jdk
                + "\n- OS: "
                + System.getProperty("os.name")
                + " "
                + System.getProperty("os.version")
                + "\n- Date: "
                + date
                + "\n";
    }

    private static String procField(String file, String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String l : lines) {
                if (l.startsWith(key)) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown (" + file + " unreadable)";
        }
        return "unknown";
    }

    private static long memTotal() {
        String kb = procField("/proc/meminfo", "MemTotal").split("\\s+", -1)[0];
        try {
            return Long.parseLong(kb) * 1024;
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().maxMemory();
        }
    }
}
