package dev.vigil.sources;

/**
 * What a fetch within a {@link FetchBudget} gave: the document, or the news that the target is over
 * the budget and the fetch was stopped. Failures are exceptions as with {@link
 * ConfigSource#fetch(dev.vigil.inventory.Target)}.
 */
public sealed interface Fetched {

    /** The whole document arrived within the budget (or the source could not stop earlier). */
    record Document(ConfigDocument document) implements Fetched {}

    /**
     * The fetch was stopped at the budget; nothing of the document is kept.
     *
     * @param reason what passed the budget, for the log, e.g. {@code "fetch over 5000 ms"}
     */
    record OverBudget(String reason) implements Fetched {}
}
