package dev.vigil.api.internal;

import dev.vigil.api.internal.ComplianceReport.CheckStatus;
import dev.vigil.api.internal.ComplianceReport.ControlView;
import dev.vigil.api.internal.ComplianceReport.FrameworkView;
import java.time.Instant;
import java.util.List;

/**
 * A control of a framework report as an OCSF Compliance Finding ({@link OcsfEvent}, class 2003):
 * the control and its framework fill the {@code compliance} object, the scope is the resource, and
 * the event's severity is the highest of the control's failing checks (Informational when none
 * fails).
 */
final class OcsfControls {

    private OcsfControls() {}

    static OcsfEvent event(Scope scope, FrameworkView framework, ControlView c, Instant at) {
        int complianceStatus =
                switch (c.status()) {
                    case "fail" -> 3;
                    case "pass" -> 1;
                    default -> 0; // Unknown: nothing it applies to was scanned
                };
        String severity =
                c.checks().stream()
                        .filter(k -> k.failing() > 0)
                        .map(CheckStatus::severity)
                        .max(
                                (a, b) ->
                                        Integer.compare(
                                                OcsfEvent.severityId(a), OcsfEvent.severityId(b)))
                        .orElse("informational");
        int severityId = severity.equals("informational") ? 1 : OcsfEvent.severityId(severity);
        boolean failing = c.failing() > 0;
        String target = scope.zoneId() == null ? scope.accountId() : scope.zoneId();
        String message =
                framework.id()
                        + " "
                        + c.control()
                        + ": "
                        + c.failing()
                        + " of "
                        + c.targetsScanned()
                        + " scanned targets fail (checks "
                        + String.join(", ", c.checks().stream().map(CheckStatus::id).toList())
                        + ")";
        long time = at.toEpochMilli();
        return new OcsfEvent(
                1, // Create
                "Create",
                OcsfEvent.CATEGORY_UID,
                "Findings",
                OcsfEvent.CLASS_UID,
                "Compliance Finding",
                OcsfEvent.CLASS_UID * 100 + 1,
                "Compliance Finding: Create",
                time,
                severityId,
                severity,
                failing ? 1 : 4, // New, Resolved
                failing ? "New" : "Resolved",
                message,
                new OcsfEvent.Metadata(
                        OcsfEvent.OCSF_VERSION, new OcsfEvent.Product("Vigil", "Vigil")),
                new OcsfEvent.FindingInfo(
                        scope.accountId() + "/" + framework.id() + "/" + c.control(),
                        framework.title() + " " + c.control(),
                        message,
                        List.of("Compliance"),
                        time,
                        time),
                new OcsfEvent.Compliance(
                        c.control(),
                        List.of(framework.title()),
                        complianceStatus,
                        switch (complianceStatus) {
                            case 3 -> "Fail";
                            case 1 -> "Pass";
                            default -> "Unknown";
                        },
                        List.of(framework.id() + ":" + c.control())),
                List.of(
                        new OcsfEvent.Resource(
                                target, target, scope.zoneId() == null ? "account" : "zone")),
                new OcsfEvent.Unmapped(scope.accountId(), scope.zoneId(), null));
    }
}
