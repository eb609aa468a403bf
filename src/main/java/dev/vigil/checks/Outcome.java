package dev.vigil.checks;

/**
 * The result of one check on one target. Only {@link #FAIL} opens or keeps an insight open; {@link
 * #PASS} and {@link #NOT_APPLICABLE} resolve it; {@link #ERROR} leaves it as it was.
 */
public enum Outcome {
    PASS,
    FAIL,
    NOT_APPLICABLE,
    ERROR
}
