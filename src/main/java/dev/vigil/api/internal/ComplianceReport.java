package dev.vigil.api.internal;

import dev.vigil.api.internal.ComplianceCatalogue.Control;
import dev.vigil.api.internal.ComplianceReads.Tally;
import dev.vigil.checks.CheckDefinition;
import dev.vigil.inventory.TargetKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A framework's controls with the targets passing and failing each, folded from a {@link Tally} in
 * Java. A target fails a control when it holds an open, non-dismissed insight of one of the
 * control's checks; it passes when it was scanned, is of a kind one of those checks applies to
 * (account or zone), and holds none. A target failing two checks of a control counts once.
 */
final class ComplianceReport {

    private ComplianceReport() {}

    /** Whether a control (or framework) fails somewhere, passes everywhere, or was never tested. */
    enum Status {
        FAIL,
        PASS,
        NOT_SCANNED;

        /** The wire name: {@code fail}, {@code pass}, {@code not_scanned}. */
        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Status of(long scanned, long failing) {
            return failing > 0 ? FAIL : scanned > 0 ? PASS : NOT_SCANNED;
        }
    }

    /**
     * A check of a control.
     *
     * @param appliesTo {@code account} or {@code zone}
     * @param failing targets with an open, non-dismissed insight of it
     */
    record CheckStatus(String id, String title, String severity, String appliesTo, long failing) {}

    /**
     * One control.
     *
     * @param status {@code fail}, {@code pass} or {@code not_scanned}
     * @param targetsScanned the scanned targets its checks apply to: passing plus failing
     */
    record ControlView(
            String framework,
            String control,
            String status,
            long targetsScanned,
            long passing,
            long failing,
            List<CheckStatus> checks) {
        ControlView {
            checks = List.copyOf(checks);
        }
    }

    /**
     * A framework's summary.
     *
     * @param targetsFailing targets failing at least one of its controls
     * @param targetsPassing scanned targets some of its checks apply to, failing none of them
     */
    record FrameworkView(
            String id,
            String title,
            String status,
            int controls,
            int checks,
            long controlsFailing,
            long controlsPassing,
            long targetsScanned,
            long targetsPassing,
            long targetsFailing) {}

    /** The controls of {@code framework}, in the catalogue's order. */
    static List<ControlView> controls(
            ComplianceCatalogue catalogue, ComplianceFramework framework, Tally tally) {
        List<ControlView> out = new ArrayList<>();
        for (Control c : catalogue.controls(framework)) {
            long scanned = scanned(c.checks(), tally);
            long failing = failing(c.checks(), tally).size();
            List<CheckStatus> checks =
                    c.checks().stream()
                            .map(
                                    d ->
                                            new CheckStatus(
                                                    d.id(),
                                                    d.title(),
                                                    d.severity().wire(),
                                                    d.appliesTo().wire(),
                                                    tally.failingByCheck()
                                                            .getOrDefault(d.id(), Set.of())
                                                            .size()))
                            .toList();
            out.add(
                    new ControlView(
                            framework.id(),
                            c.id(),
                            Status.of(scanned, failing).wire(),
                            scanned,
                            scanned - failing,
                            failing,
                            checks));
        }
        return out;
    }

    /** The summary of {@code framework}. */
    static FrameworkView summary(
            ComplianceCatalogue catalogue, ComplianceFramework framework, Tally tally) {
        List<ControlView> controls = controls(catalogue, framework, tally);
        Set<CheckDefinition> checks = new HashSet<>();
        catalogue.controls(framework).forEach(c -> checks.addAll(c.checks()));
        long scanned = scanned(checks, tally);
        long failing = failing(checks, tally).size();
        return new FrameworkView(
                framework.id(),
                framework.title(),
                Status.of(scanned, failing).wire(),
                controls.size(),
                checks.size(),
                controls.stream().filter(c -> c.status().equals("fail")).count(),
                controls.stream().filter(c -> c.status().equals("pass")).count(),
                scanned,
                scanned - failing,
                failing);
    }

    private static long scanned(Collection<CheckDefinition> checks, Tally tally) {
        Set<TargetKind> kinds = EnumSet.noneOf(TargetKind.class);
        checks.forEach(c -> kinds.add(c.appliesTo()));
        return (kinds.contains(TargetKind.ACCOUNT) ? tally.scannedAccounts() : 0)
                + (kinds.contains(TargetKind.ZONE) ? tally.scannedZones() : 0);
    }

    private static Set<String> failing(Collection<CheckDefinition> checks, Tally tally) {
        Set<String> out = new HashSet<>();
        for (CheckDefinition c : checks) {
            out.addAll(tally.failingByCheck().getOrDefault(c.id(), Set.of()));
        }
        return out;
    }
}
