package dev.vigil.api.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vigil.api.InsightView;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One OCSF 1.x Compliance Finding event (category Findings, class_uid 2003) for one insight, in the
 * field order of the schema's documentation: the check is the control, its family the standard;
 * open insights fail it. Written by {@link OcsfExport}.
 */
record OcsfEvent(
        int activityId,
        String activityName,
        int categoryUid,
        String categoryName,
        int classUid,
        String className,
        int typeUid,
        String typeName,
        long time,
        int severityId,
        String severity,
        int statusId,
        String status,
        String message,
        Metadata metadata,
        FindingInfo findingInfo,
        Compliance compliance,
        List<Resource> resources,
        Unmapped unmapped) {

    static final int CLASS_UID = 2003;
    static final int CATEGORY_UID = 2;
    static final String OCSF_VERSION = "1.3.0";

    /** The producer: this version of the schema, Vigil. */
    record Metadata(String version, Product product) {}

    record Product(String name, String vendorName) {}

    /**
     * @param uid {@code <account>/<insight id>}: unique across accounts
     * @param types the issue type
     */
    record FindingInfo(
            String uid,
            String title,
            String desc,
            List<String> types,
            long firstSeenTime,
            long lastSeenTime) {}

    /**
     * @param statusId 3 Fail (open), 1 Pass
     * @param requirements the framework controls the check maps to, as {@code
     *     <framework>:<control>}; left out when none
     */
    record Compliance(
            String control,
            List<String> standards,
            int statusId,
            String status,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> requirements) {}

    /**
     * @param type {@code account} or {@code zone}
     */
    record Resource(String uid, String name, String type) {}

    /** Vigil's own fields, the ones OCSF has no place for; absent ones are left out. */
    record Unmapped(
            String accountId,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String zoneId,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String classification) {}

    static OcsfEvent of(InsightView i) {
        boolean open = i.status().equals("open");
        int status = i.dismissed() ? 3 : open ? 1 : 4; // Suppressed, New, Resolved
        return new OcsfEvent(
                1, // Create
                "Create",
                CATEGORY_UID,
                "Findings",
                CLASS_UID,
                "Compliance Finding",
                CLASS_UID * 100 + 1,
                "Compliance Finding: Create",
                i.lastSeenAt().toEpochMilli(),
                severityId(i.severity()),
                i.severity(),
                status,
                status == 3 ? "Suppressed" : status == 1 ? "New" : "Resolved",
                i.message(),
                new Metadata(OCSF_VERSION, new Product("Vigil", "Vigil")),
                new FindingInfo(
                        i.accountId() + "/" + i.id(),
                        i.issueClass() + ": " + i.subject(),
                        i.message(),
                        List.of(i.issueType()),
                        i.firstSeenAt().toEpochMilli(),
                        i.lastSeenAt().toEpochMilli()),
                new Compliance(
                        i.issueClass(),
                        List.of(family(i.issueClass())),
                        open ? 3 : 1, // Fail, Pass
                        open ? "Fail" : "Pass",
                        ComplianceCatalogue.shipped().labels(i.issueClass())),
                List.of(
                        new Resource(
                                i.resourceKey(),
                                i.subject(),
                                i.zoneId() == null ? "account" : "zone")),
                new Unmapped(i.accountId(), i.zoneId(), i.classification()));
    }

    /** OCSF severity_id: 2 Low, 3 Medium, 4 High, 5 Critical. */
    static int severityId(String severity) {
        return switch (severity) {
            case "low" -> 2;
            case "moderate" -> 3;
            case "high" -> 4;
            case "critical" -> 5;
            default -> 0; // Unknown
        };
    }

    /** The family of a check: the part of its id before the first dot. */
    static String family(String checkId) {
        int dot = checkId.indexOf('.');
        return dot < 0 ? checkId : checkId.substring(0, dot);
    }
}
