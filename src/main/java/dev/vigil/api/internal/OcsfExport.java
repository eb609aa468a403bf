package dev.vigil.api.internal;

import dev.vigil.api.ExportRule;
import dev.vigil.api.InsightView;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;

/**
 * A JSON array of OCSF 1.x Compliance Finding events (category Findings, class_uid 2003), one per
 * insight: the check is the control, its family the standard; open insights fail it.
 */
final class OcsfExport implements Export {

    static final int CLASS_UID = 2003;
    static final int CATEGORY_UID = 2;
    static final String OCSF_VERSION = "1.3.0";

    private @Nullable JsonGenerator gen;

    @Override
    public String contentType() {
        return "application/json";
    }

    @Override
    public String extension() {
        return "ocsf.json";
    }

    @Override
    public void start(OutputStream out, List<ExportRule> rules) {
        gen = Json.MAPPER.createGenerator(out);
        gen.writeStartArray();
    }

    @Override
    public void write(InsightView i) {
        if (gen == null) {
            throw new IllegalStateException("OCSF export written before start()");
        }
        gen.writePOJO(event(i));
    }

    static Map<String, Object> event(InsightView i) {
        boolean open = i.status().equals("open");
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("activity_id", 1); // Create
        e.put("activity_name", "Create");
        e.put("category_uid", CATEGORY_UID);
        e.put("category_name", "Findings");
        e.put("class_uid", CLASS_UID);
        e.put("class_name", "Compliance Finding");
        e.put("type_uid", CLASS_UID * 100 + 1);
        e.put("type_name", "Compliance Finding: Create");
        e.put("time", i.lastSeenAt().toEpochMilli());
        e.put("severity_id", severityId(i.severity()));
        e.put("severity", i.severity());
        int status = i.dismissed() ? 3 : open ? 1 : 4; // Suppressed, New, Resolved
        e.put("status_id", status);
        e.put("status", status == 3 ? "Suppressed" : status == 1 ? "New" : "Resolved");
        e.put("message", i.message());
        e.put(
                "metadata",
                Map.of(
                        "version",
                        OCSF_VERSION,
                        "product",
                        Map.of("name", "Vigil", "vendor_name", "Vigil")));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("uid", i.accountId() + "/" + i.id());
        info.put("title", i.issueClass() + ": " + i.subject());
        info.put("desc", i.message());
        info.put("types", List.of(i.issueType()));
        info.put("first_seen_time", i.firstSeenAt().toEpochMilli());
        info.put("last_seen_time", i.lastSeenAt().toEpochMilli());
        e.put("finding_info", info);
        Map<String, Object> compliance = new LinkedHashMap<>();
        compliance.put("control", i.issueClass());
        compliance.put("standards", List.of(family(i.issueClass())));
        compliance.put("status_id", open ? 3 : 1); // Fail, Pass
        compliance.put("status", open ? "Fail" : "Pass");
        e.put("compliance", compliance);
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("uid", i.resourceKey());
        resource.put("name", i.subject());
        resource.put("type", i.zoneId() == null ? "account" : "zone");
        e.put("resources", List.of(resource));
        Map<String, Object> unmapped = new LinkedHashMap<>();
        unmapped.put("account_id", i.accountId());
        if (i.zoneId() != null) {
            unmapped.put("zone_id", i.zoneId());
        }
        if (i.classification() != null) {
            unmapped.put("classification", i.classification());
        }
        e.put("unmapped", unmapped);
        return e;
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

    static String family(String checkId) {
        int dot = checkId.indexOf('.');
        return dot < 0 ? checkId : checkId.substring(0, dot);
    }

    @Override
    public void finish() throws IOException {
        if (gen == null) {
            throw new IllegalStateException("OCSF export finished before start()");
        }
        gen.writeEndArray();
        gen.flush();
    }
}
