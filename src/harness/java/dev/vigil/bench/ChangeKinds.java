package dev.vigil.bench;

import static dev.vigil.bench.Samples.median;

import dev.vigil.bench.ChangesScenario.Round;
import dev.vigil.bench.ChangesScenario.Settings;
import dev.vigil.bench.internal.ChangeKind;
import dev.vigil.bench.internal.ChangePusher;
import dev.vigil.bench.internal.ChangeRig;
import dev.vigil.bench.internal.EvaluationCost;
import dev.vigil.inventory.Target;
import dev.vigil.simulate.Fleet;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The saturation rounds again for each section a change may touch: the ratio of changed-sections
 * evaluation to a full rescan depends on how many checks read that section (15 read {@code
 * settings}, 14 {@code dns_records}, 3 {@code rulesets}), and the "3× a full rescan" names
 * no section. All kinds are measured alike, after the latency phase (whose vacuum the database has
 * had) and with the backlog queued through the batch route (the round measures the change workers
 * working it off, not the intake): {@link Settings#kindReps} rounds per kind and way, ways
 * interleaved, after one unmeasured push of every zone. Their events/s are therefore not those of
 * the scenario's main rounds, which run earlier on a database the bursts have left dead rows in and
 * are queued one push per call; compare the ratios. Then, for each kind, the evaluation alone timed
 * both ways ({@link EvaluationCost}): what the changed sections save where they can save it.
 */
final class ChangeKinds {

    /**
     * One kind's rounds.
     *
     * @param vigil events/s per round, changed sections only
     * @param naive events/s per round, full rescan
     * @param evaluation the CPU of the evaluation alone, each way
     */
    record Measured(
            ChangeKind kind,
            List<Double> vigil,
            List<Double> naive,
            List<Double> vigilPushes,
            double vigilChecks,
            double naiveChecks,
            EvaluationCost.Measured evaluation) {
        double ratio() {
            return median(vigil) / Math.max(1e-9, median(naive));
        }
    }

    /**
     * Passes over every zone's document each way when timing the evaluation alone ({@link
     * EvaluationCost}), after one unmeasured pass: the median of five held within a few per cent.
     */
    static final int EVALUATION_PASSES = 5;

    /** The kinds measured here, every one. */
    static final List<ChangeKind> KINDS = List.of(ChangeKind.values());

    private final ChangesScenario scenario;
    private final Settings s;
    private final PrintStream log;

    ChangeKinds(ChangesScenario scenario, Settings settings, PrintStream log) {
        this.scenario = scenario;
        this.s = settings;
        this.log = log;
    }

    List<Measured> run(ChangeRig rig, URI api, String token, List<Target> zones, Fleet fleet)
            throws InterruptedException {
        List<Measured> out = new ArrayList<>();
        for (ChangeKind kind : KINDS) {
            try (ChangePusher pusher =
                    new ChangePusher(api, token, zones, fleet.documentsByTargetId(), kind)) {
                log.printf(
                        "bench changes: %s changes: one unmeasured push of every zone…%n",
                        kind.section());
                long before = rig.done();
                long events = scenario.pushEvents(pusher, 1, false, false);
                rig.start();
                scenario.drain(rig, before + events);
                rig.stop();
                List<Double> vigil = new ArrayList<>();
                List<Double> naive = new ArrayList<>();
                List<Double> pushes = new ArrayList<>();
                double[] checks = {0, 0};
                for (int r = 0; r < s.kindReps(); r++) {
                    for (boolean full : new boolean[] {false, true}) {
                        Round round = scenario.saturate(rig, pusher, full, true);
                        (full ? naive : vigil).add(round.rate());
                        if (!full) {
                            pushes.add(round.pushRate());
                        }
                        checks[full ? 1 : 0] = round.checksPerEvaluation();
                    }
                }
                EvaluationCost.Measured cost =
                        EvaluationCost.of(pusher, rig.rules(), EVALUATION_PASSES);
                log.printf(
                        "bench changes: %s changes, evaluation alone: %.0f µs CPU per change on"
                                + " the changed section, %.0f µs per full rescan (%.1f×)%n",
                        kind.section(),
                        cost.changedNanos() / 1e3,
                        cost.fullNanos() / 1e3,
                        cost.ratio());
                out.add(new Measured(kind, vigil, naive, pushes, checks[0], checks[1], cost));
            }
        }
        return out;
    }
}
