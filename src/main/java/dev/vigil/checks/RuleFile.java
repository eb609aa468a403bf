package dev.vigil.checks;

/**
 * One user rule file of a pushed rule set, as {@code vigil rules push} read it and the API stores
 * it.
 *
 * @param name the file's path under the pushed directory, e.g. {@code house/free_plan.yaml}; error
 *     messages name it
 * @param text the file's YAML
 */
public record RuleFile(String name, String text) {}
