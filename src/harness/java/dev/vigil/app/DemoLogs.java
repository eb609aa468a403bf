package dev.vigil.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Where the demo's JSON logs go. The demo prints lines for people on the terminal; the roles' JSON
 * logs on stderr were interleaved with them. Unless asked to keep them there ({@code --verbose}),
 * the demo sends them to one file instead, overwritten by each run, and says where.
 */
final class DemoLogs {

    /** The demo's log file: one per machine, overwritten by each run, so none pile up. */
    static final Path FILE = Path.of(System.getProperty("java.io.tmpdir"), "vigil-demo.log");

    private DemoLogs() {}

    /**
     * Moves every console appender's output of the root logger to {@code file} (JSON lines, as on
     * the console). Returns false, changing nothing, when logging is not Logback's.
     */
    static boolean toFile(Path file) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return false;
        }
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        List<Appender<ILoggingEvent>> consoles = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> a = it.next();
            if (a instanceof ConsoleAppender) {
                consoles.add(a);
            }
        }
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(ctx);
        encoder.start();
        FileAppender<ILoggingEvent> f = new FileAppender<>();
        f.setContext(ctx);
        f.setName("DEMO_FILE");
        f.setFile(file.toString());
        f.setAppend(false);
        f.setEncoder(encoder);
        f.start();
        root.addAppender(f);
        for (Appender<ILoggingEvent> a : consoles) {
            root.detachAppender(a);
            a.stop();
        }
        return true;
    }
}
