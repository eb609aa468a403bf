package dev.vigil.events;

/** The names of Vigil's topics, all under one configurable prefix. */
public record Topics(String prefix) {

    public String scanRequests() {
        return prefix + "scan-requests";
    }

    /** Requests that could not be processed, with the reason in headers. */
    public String deadLetters() {
        return prefix + "scan-requests.dlq";
    }

    /** Config-change events from the systems that own the configuration. */
    public String configChanges() {
        return prefix + "config-changes";
    }

    /** Insight lifecycle events (opened, resolved) for alerts and analytics. */
    public String insightEvents() {
        return prefix + "insight-events";
    }
}
