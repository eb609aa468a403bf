package dev.vigil.worker;

import dev.vigil.events.ConfigChange;
import dev.vigil.telemetry.Traced;
import dev.vigil.telemetry.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change worker's chains: the config-change records of one target in one poll, folded into one
 * evaluation when there are several.
 *
 * <p>A target's versions arrive in order. When several are queued at once (a burst of pushes, or
 * the backlog after an outage), evaluating each only for the next one's result to replace it is
 * wasted work, and each of those results waits for the previous one's results call: the chain, not
 * the evaluation, would bound the rate. So the newest version is evaluated once, with the checks of
 * every section any version of the chain changed (every check when one of them names none), and its
 * result sent under its own scan id and scan time. The insights end where evaluating every version
 * in turn leaves them; states each replaced within the same poll are not recorded. The versions
 * folded in are counted ({@link ChangeHandler#folded()}).
 *
 * <p>Failure: the folded evaluation runs once, under a consumer span in the newest record's trace
 * linked to the others. If it fails in any way, or the chain cannot be folded (a record that does
 * not decode, versions out of order, two targets under one key), the records go one by one through
 * {@code single}, the resilient path, so each is retried or dead-lettered on its own and a dead
 * letter always names one version with its own sections.
 *
 * <p>Thread-safe if {@code single} and the {@link ChangeHandler} are.
 */
final class ChangeChains implements ChainHandler {
    private static final Logger log = LoggerFactory.getLogger(ChangeChains.class);

    private final ChangeHandler changes;
    private final RecordHandler single;
    private final Tracing tracing;

    ChangeChains(ChangeHandler changes, RecordHandler single, Tracing tracing) {
        this.changes = changes;
        this.single = single;
        this.tracing = tracing;
    }

    @Override
    public void handle(List<ConsumerRecord<String, byte[]>> chain) throws InterruptedException {
        if (chain.size() > 1) {
            ConfigChange folded = fold(decode(chain));
            if (folded != null && evaluate(chain, folded)) {
                changes.folded(chain.size() - 1);
                return;
            }
        }
        for (ConsumerRecord<String, byte[]> r : chain) {
            single.handle(r);
        }
    }

    /**
     * The newest of {@code changes} with the union of their changed sections, or null when they
     * cannot be folded: none, not all of one target, or versions not strictly rising.
     */
    static @Nullable ConfigChange fold(@Nullable List<ConfigChange> changes) {
        if (changes == null || changes.isEmpty()) {
            return null;
        }
        ConfigChange newest = changes.getFirst();
        Set<String> sections = new LinkedHashSet<>();
        boolean every = false;
        for (int i = 0; i < changes.size(); i++) {
            ConfigChange c = changes.get(i);
            if (i > 0 && (!c.target().equals(newest.target()) || c.version() <= newest.version())) {
                return null;
            }
            newest = c;
            every |= c.changedSections().isEmpty();
            sections.addAll(c.changedSections());
        }
        return new ConfigChange(
                newest.target(),
                newest.version(),
                every ? List.of() : List.copyOf(sections),
                newest.receivedAt(),
                newest.document());
    }

    private @Nullable List<ConfigChange> decode(List<ConsumerRecord<String, byte[]>> chain) {
        List<ConfigChange> decoded = new ArrayList<>(chain.size());
        try {
            for (ConsumerRecord<String, byte[]> r : chain) {
                decoded.add(changes.decode(r));
            }
            return decoded;
        } catch (RuntimeException e) {
            // the resilient path dead-letters the record that does not decode
            return null;
        }
    }

    /** Evaluates {@code folded}; false when that failed (nothing is then counted as done). */
    private boolean evaluate(List<ConsumerRecord<String, byte[]>> chain, ConfigChange folded)
            throws InterruptedException {
        ConsumerRecord<String, byte[]> newest = chain.getLast();
        List<SpanContext> links = new ArrayList<>(chain.size() - 1);
        for (ConsumerRecord<String, byte[]> r : chain.subList(0, chain.size() - 1)) {
            links.add(Span.fromContext(tracing.extract(r.headers())).getSpanContext());
        }
        try (Scope parent = tracing.extract(newest.headers()).makeCurrent();
                Traced t = tracing.open(newest.topic() + " process", SpanKind.CONSUMER, links)) {
            t.span().setAttribute("messaging.system", "kafka");
            t.span().setAttribute("messaging.destination.name", newest.topic());
            t.span().setAttribute("messaging.destination.partition.id", newest.partition());
            t.span().setAttribute("messaging.kafka.offset", newest.offset());
            t.span().setAttribute("messaging.batch.message_count", chain.size());
            try {
                changes.apply(folded);
                return true;
            } catch (RuntimeException e) {
                t.fail(e);
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted evaluating " + folded.target());
                }
                log.debug(
                        "{} versions of {} folded into version {} failed ({}); one by one instead",
                        chain.size(),
                        folded.target().targetId(),
                        folded.version(),
                        e.toString());
                return false;
            }
        }
    }
}
