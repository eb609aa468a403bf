package dev.vigil.api;

/** A check present in an export: SARIF lists its rules before its results. */
public record ExportRule(String checkId, String severity, String issueType) {}
