package dev.vigil.checks.internal;

/**
 * The text of one rule file and where it came from.
 *
 * @param name how messages name the file, e.g. {@code checks/tls/ssl_off.yaml} or an absolute path
 */
public record RuleSource(String name, String text) {}
