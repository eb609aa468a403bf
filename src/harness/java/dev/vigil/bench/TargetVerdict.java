package dev.vigil.bench;

/**
 * One DESIGN.md target ("Speed and memory targets") beside the figure a scenario measured.
 *
 * @param target the target as DESIGN.md states it, e.g. {@code busiest minute ≤ 1.2 × mean minute}
 * @param measured the measured figure, formatted
 * @param met whether the figure meets the target
 */
public record TargetVerdict(String target, String measured, boolean met) {}
