package dev.vigil.chaos;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a fault-suite run does.
 *
 * @param accounts accounts of the synthetic fleet (each also a target)
 * @param zones zones of the synthetic fleet
 * @param interval scan interval of every plan: the fleet is rescanned this often
 * @param scans scans the load phase aims at; with the fleet size and interval it sets the length of
 *     the load phase
 * @param killsPerKind SIGKILLs of each killable role kind (worker, api, scheduler) in the run
 * @param drainTimeout longest wait for the consumer groups to catch up after the schedulers stop
 * @param out directory of the Markdown report and the child processes' logs
 */
public record ChaosOptions(
        long seed,
        int accounts,
        int zones,
        Duration interval,
        long scans,
        int killsPerKind,
        Duration drainTimeout,
        Path out) {

    public ChaosOptions {
        if (accounts < 1 || zones < 0 || scans < 1 || killsPerKind < 1) {
            throw new IllegalArgumentException(
                    "accounts ≥ 1, zones ≥ 0, scans ≥ 1 and killsPerKind ≥ 1 are required, got "
                            + accounts
                            + ", "
                            + zones
                            + ", "
                            + scans
                            + ", "
                            + killsPerKind);
        }
    }

    /**
     * The CI run: about 2,000 to 3,500 scans over a 600-target fleet (the load phase's 1,500, the
     * first round, and what the faults' recoveries stretch the phase by), about three minutes on
     * two cores (117 to 184 s at load average 11 to 14 with the three brokers, against 91 s with
     * one broker in the parent).
     */
    public static ChaosOptions quick(long seed, Path out) {
        return new ChaosOptions(
                seed, 60, 540, Duration.ofSeconds(20), 1_500, 1, Duration.ofSeconds(75), out);
    }

    /**
     * The full run: 20,000 scans over a 1,500-target fleet at about 38 scans/s (what three small
     * workers sustain on two shared cores), about ten minutes, three kills of each kind.
     */
    public static ChaosOptions full(long seed, Path out) {
        return new ChaosOptions(
                seed, 150, 1_350, Duration.ofSeconds(40), 20_000, 3, Duration.ofSeconds(180), out);
    }

    public ChaosOptions withScans(long n) {
        return new ChaosOptions(
                seed, accounts, zones, interval, n, killsPerKind, drainTimeout, out);
    }

    /**
     * Longest wait for each wave of role processes (API, schedulers, workers) to become ready. Here
     * all six are ready 28 to 40 s after the standby starts, even beside three busy loops; one CI
     * run on a shared machine waited more than two minutes for the workers' wave, so the wait is
     * long and a start that still fails names each role's readiness and quotes its log.
     */
    public Duration startTimeout() {
        return Duration.ofMinutes(5);
    }

    /** Targets in the fleet: every account and every zone. */
    public int targets() {
        return accounts + zones;
    }

    /** How long the load phase runs to publish about {@link #scans()} scan requests. */
    public Duration loadPhase() {
        double perSecond = targets() / (double) interval.toSeconds();
        return Duration.ofSeconds(Math.max(30, (long) Math.ceil(scans / perSecond)));
    }
}
