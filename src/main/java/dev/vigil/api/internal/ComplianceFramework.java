package dev.vigil.api.internal;

import java.util.Arrays;
import java.util.Optional;

/**
 * A compliance framework the check catalogue maps to (a rule's {@code compliance} keys): its id on
 * the wire and in rule files, and the title a report shows.
 */
enum ComplianceFramework {
    CIS_V8("cis_v8", "CIS Critical Security Controls v8"),
    NIST_800_53("nist_800_53", "NIST SP 800-53 Rev. 5"),
    PCI_DSS_4("pci_dss_4", "PCI DSS v4.0");

    private final String id;
    private final String title;

    ComplianceFramework(String id, String title) {
        this.id = id;
        this.title = title;
    }

    /** The id of rule files and of the API ({@code cis_v8}). */
    String id() {
        return id;
    }

    /** The framework's published name. */
    String title() {
        return title;
    }

    /** The framework of wire id {@code id}, if it is one. */
    static Optional<ComplianceFramework> of(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
    }

    /** The wire ids, for error messages. */
    static String ids() {
        return String.join(", ", Arrays.stream(values()).map(f -> f.id).toList());
    }
}
