package dev.vigil.testing.cloudflare;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the zones of {@link StubFleet#addGeneratedZone}: a clean template, renamed, many A
 * records.
 */
final class GeneratedZones {

    private GeneratedZones() {}

    static FleetData.Zone from(
            FleetData.Zone template,
            FleetData.Account account,
            String zoneId,
            String name,
            int aRecords,
            Instant now) {
        if (aRecords < 0) {
            throw new IllegalArgumentException("dnsRecordCount must be >= 0, was " + aRecords);
        }
        Map<String, JsonNode> files = new HashMap<>(template.files());
        ObjectNode zone = (ObjectNode) template.zone().deepCopy();
        zone.put("id", zoneId);
        zone.put("name", name);
        ObjectNode acc = zone.putObject("account");
        acc.put("id", account.id());
        acc.put("name", account.name());
        files.put("zone", zone);
        files.put("dns_records", records(zoneId, name, aRecords, now));
        ArrayNode packs = FixtureJson.NODES.arrayNode();
        for (JsonNode p : template.files().get("certificate_packs")) {
            ObjectNode copy = (ObjectNode) p.deepCopy();
            copy.putArray("hosts").add(name).add("*." + name);
            packs.add(copy);
        }
        files.put("certificate_packs", packs);
        return new FleetData.Zone(zoneId, files, template.entrypoints());
    }

    private static ArrayNode records(String zoneId, String zone, int aRecords, Instant now) {
        String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
        ArrayNode out = FixtureJson.NODES.arrayNode();
        for (int i = 0; i < aRecords; i++) {
            // 198.51.100.0/24 and 203.0.113.0/24 are documentation ranges: public, never routed.
            String ip = (i % 2 == 0 ? "198.51.100." : "203.0.113.") + (1 + i % 250);
            ObjectNode r = record(zoneId, i, "A", "host-" + i + "." + zone, ip, at);
            r.put("proxiable", true);
            r.put("proxied", true);
            out.add(r);
        }
        out.add(txt(zoneId, aRecords, zone, "\"v=spf1 include:_spf.mx.example -all\"", at));
        out.add(
                txt(
                        zoneId,
                        aRecords + 1,
                        "_dmarc." + zone,
                        "\"v=DMARC1; p=reject; rua=mailto:dmarc@" + zone + "\"",
                        at));
        out.add(
                txt(
                        zoneId,
                        aRecords + 2,
                        "s1._domainkey." + zone,
                        "\"v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC7\"",
                        at));
        ObjectNode caa =
                record(zoneId, aRecords + 3, "CAA", zone, "0 issue \"letsencrypt.org\"", at);
        ObjectNode data = caa.putObject("data");
        data.put("flags", 0);
        data.put("tag", "issue");
        data.put("value", "letsencrypt.org");
        caa.put("proxiable", false);
        caa.put("proxied", false);
        out.add(caa);
        return out;
    }

    private static ObjectNode txt(String zoneId, int n, String name, String content, String at) {
        ObjectNode r = record(zoneId, n, "TXT", name, content, at);
        r.put("proxiable", false);
        r.put("proxied", false);
        return r;
    }

    private static ObjectNode record(
            String zoneId, int n, String type, String name, String content, String at) {
        ObjectNode r = FixtureJson.NODES.objectNode();
        r.put("id", recordId(zoneId, n));
        r.put("type", type);
        r.put("name", name);
        r.put("content", content);
        r.put("ttl", 1);
        r.put("comment", (String) null);
        r.putArray("tags");
        ObjectNode meta = r.putObject("meta");
        meta.put("auto_added", false);
        meta.put("source", "primary");
        r.put("created_on", at);
        r.put("modified_on", at);
        return r;
    }

    /** A stable 32-hex id per zone and index, as the API's record ids look. */
    static String recordId(String zoneId, int n) {
        long h = zoneId.hashCode() * 0x9E3779B97F4A7C15L + n;
        long l = Long.rotateLeft(h * 0xBF58476D1CE4E5B9L, 31) ^ n;
        return HexFormat.of().toHexDigits(h) + HexFormat.of().toHexDigits(l);
    }
}
