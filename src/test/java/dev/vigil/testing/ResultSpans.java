package dev.vigil.testing;

import static org.awaitility.Awaitility.await;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;

/**
 * Finds, among finished spans, the results call that stored a scan's result. A worker sends the
 * results of the scans running at once in one call ({@link dev.vigil.results.ResultBatcher}): the
 * call's span is a child of the sending scan's {@code submit result} span and linked to the
 * others', so each scan's trace leads to it either way.
 */
public final class ResultSpans {

    private ResultSpans() {}

    /** The results call that carried the result of {@code submit}, once it ended. */
    public static SpanData callOf(InMemorySpanExporter spans, SpanData submit) {
        await().atMost(Duration.ofSeconds(60)).until(() -> callsOf(spans, submit).size() == 1);
        return callsOf(spans, submit).getFirst();
    }

    private static List<SpanData> callsOf(InMemorySpanExporter spans, SpanData submit) {
        String id = submit.getSpanId();
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("POST result batch"))
                .filter(
                        s ->
                                s.getParentSpanId().equals(id)
                                        || s.getLinks().stream()
                                                .anyMatch(
                                                        l ->
                                                                l.getSpanContext()
                                                                        .getSpanId()
                                                                        .equals(id)))
                .toList();
    }

    /** The span named {@code name} whose parent is {@code parent}, once it ended. */
    public static SpanData childNamed(InMemorySpanExporter spans, SpanData parent, String name) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !children(spans, parent, name).isEmpty());
        List<SpanData> found = children(spans, parent, name);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " spans named '" + name + "' under " + parent);
        }
        return found.getFirst();
    }

    private static List<SpanData> children(
            InMemorySpanExporter spans, SpanData parent, String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .filter(s -> s.getParentSpanId().equals(parent.getSpanId()))
                .toList();
    }
}
