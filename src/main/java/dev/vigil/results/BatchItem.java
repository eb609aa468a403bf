package dev.vigil.results;

/** What became of one result of a batch ({@link ResultWriter#applyAll}). */
public sealed interface BatchItem {

    /**
     * Applied, or ignored as replayed or superseded ({@link WriteOutcome#applied()} says which).
     */
    record Written(WriteOutcome outcome) implements BatchItem {}

    /**
     * Refused on its own, the rest of the batch unaffected: {@link UnknownTargetException}, {@link
     * MalformedResultException} or {@link TooManyFindingsException}.
     */
    record Refused(RuntimeException reason) implements BatchItem {}
}
