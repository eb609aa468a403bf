package dev.vigil.snapshots;

/**
 * One stored version of a target's configuration.
 *
 * @param document the document as stored: compact UTF-8 JSON, one object
 */
public record Snapshot(long version, String document) {}
