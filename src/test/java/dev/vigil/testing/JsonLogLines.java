package dev.vigil.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Captures what the production encoder (logstash, one JSON object per line, MDC included) writes
 * for the loggers under a name, encoding each event on the thread that logs it, so the MDC is the
 * one of that moment. Lowers the logger to DEBUG while attached; closing restores it.
 */
public final class JsonLogLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final Logger logger;
    private final Level previous;
    private final LogstashEncoder encoder = new LogstashEncoder();
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private JsonLogLines(Logger logger) {
        this.logger = logger;
        this.previous = logger.getLevel();
    }

    /** Attaches to the logger {@code name} (e.g. {@code "dev.vigil"}) and everything under it. */
    public static JsonLogLines attach(String name) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        JsonLogLines capture = new JsonLogLines(ctx.getLogger(name));
        capture.setContext(ctx);
        capture.encoder.setContext(ctx);
        capture.encoder.start();
        capture.start();
        capture.logger.addAppender(capture);
        capture.logger.setLevel(Level.DEBUG);
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8).strip());
    }

    /** Every line captured so far, in order. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        logger.setLevel(previous);
        stop();
        encoder.stop();
    }
}
