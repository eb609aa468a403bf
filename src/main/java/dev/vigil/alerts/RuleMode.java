package dev.vigil.alerts;

import java.util.Locale;

/** How a rule groups the events it matches into messages. */
public enum RuleMode {
    /** One message per scan: the events one scan produced, sent as soon as it committed. */
    IMMEDIATE,
    /**
     * One message per window: the first event waits the rule's digest window for others
     * (Alertmanager's {@code group_wait} and {@code group_interval} in one figure).
     */
    DIGEST;

    /** The name stored and shown ({@code immediate}, {@code digest}). */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The mode named {@code wire}.
     *
     * @throws IllegalArgumentException for an unknown name, stating the accepted ones
     */
    public static RuleMode fromWire(String wire) {
        for (RuleMode m : values()) {
            if (m.wire().equals(wire)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "unknown mode '" + wire + "' (expected immediate or digest)");
    }
}
