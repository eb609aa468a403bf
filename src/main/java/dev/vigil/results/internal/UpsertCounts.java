package dev.vigil.results.internal;

/** What one upsert of findings did: distinct findings, insights opened and reopened. */
public record UpsertCounts(int findings, int opened, int reopened) {}
