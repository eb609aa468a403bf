package dev.vigil.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Sender} answering a script of outcomes (the last one repeats) and keeping every message
 * it was given, in order. Thread-safe.
 */
final class FakeSender implements Sender {

    record Sent(AlertMessage message, Destination destination) {}

    private final List<DeliveryOutcome> script;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    private FakeSender(List<DeliveryOutcome> script) {
        this.script = List.copyOf(script);
    }

    static FakeSender answering(DeliveryOutcome... script) {
        return new FakeSender(List.of(script));
    }

    static FakeSender delivering() {
        return answering(delivered());
    }

    static DeliveryOutcome delivered() {
        return new DeliveryOutcome.Delivered(200, java.time.Duration.ofMillis(3));
    }

    @Override
    public DeliveryOutcome send(AlertMessage message, Destination destination) {
        sent.add(new Sent(message, destination));
        int i = calls.getAndIncrement();
        return script.get(Math.min(i, script.size() - 1));
    }

    List<Sent> sent() {
        return new ArrayList<>(sent);
    }

    List<UUID> ids() {
        return sent.stream().map(s -> s.message().messageId()).toList();
    }
}
