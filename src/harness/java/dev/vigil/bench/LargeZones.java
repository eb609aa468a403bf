package dev.vigil.bench;

import dev.vigil.checks.ConfigDocuments;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * Zones with many DNS records: the {@linkplain BenchmarkDocuments#typicalZone() typical zone}, its
 * own records kept (so the apex checks see the same SPF, DMARC, DKIM and CAA records), padded with
 * generated hosts up to the requested count.
 *
 * <p>The padding is a realistic mix: 40 % A, 15 % AAAA, 25 % CNAME, 12 % TXT, 8 % MX; 90 % of the
 * A, AAAA and CNAME records proxied; one CNAME in ten an unproxied underscore name (ACME, DKIM
 * delegation), which the checks skip. Problems are planted at a rate of one in a thousand records
 * each: dangling A (unassigned address), dangling CNAME (NXDOMAIN), private address; plus one
 * wildcard per 10,000. The counts of the findings the padding must produce are returned with the
 * document, so a test can tell a linear evaluation from one that merely finishes.
 */
public final class LargeZones {

    /**
     * The checks the padding plants findings for, in the order {@link LargeZone#planted()} lists
     * them.
     */
    public static final List<String> PLANTED_CHECKS =
            List.of(
                    "dns.a_record_unproxied",
                    "dns.aaaa_record_unproxied",
                    "dns.cname_record_unproxied",
                    "dns.a_record_dangling",
                    "dns.cname_record_dangling",
                    "dns.private_ip_in_public_dns",
                    "dns.wildcard_record");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A zone document and, per check, the number of findings its padding must add. */
    public record LargeZone(Map<String, Object> document, Map<String, Integer> planted) {}

    private LargeZones() {}

    /**
     * The typical zone padded to exactly {@code records} DNS records.
     *
     * @throws IllegalArgumentException when {@code records} is below the typical zone's own count
     */
    @SuppressWarnings("unchecked")
    public static LargeZone withRecords(int records) {
        Map<String, Object> base = BenchmarkDocuments.typicalZone();
        List<Object> own = (List<Object>) base.get("dns_records");
        if (own == null || records < own.size()) {
            throw new IllegalArgumentException(
                    "a large zone needs at least the typical zone's "
                            + BenchmarkDocuments.recordCount(base)
                            + " records, got "
                            + records);
        }
        if (!(base.get("zone") instanceof Map<?, ?> zone)
                || !(base.get("dns_resolution") instanceof Map<?, ?> known)) {
            throw new IllegalStateException(
                    "the typical zone lacks its 'zone' or 'dns_resolution' section");
        }
        String apex = String.valueOf(zone.get("name"));
        Map<String, Object> doc = new LinkedHashMap<>(base);
        List<Object> list = new ArrayList<>(own);
        Map<String, Object> resolution = new LinkedHashMap<>((Map<String, Object>) known);
        Map<String, Integer> planted = new TreeMap<>();
        PLANTED_CHECKS.forEach(c -> planted.put(c, 0));
        SplittableRandom rnd = new SplittableRandom(records);
        for (int i = 0; list.size() < records; i++) {
            list.add(host(rnd, i, apex, resolution, planted));
        }
        doc.put("dns_records", list);
        doc.put("dns_resolution", resolution);
        // Through JSON and back: the same value types (Long, unmodifiable maps) as the pipeline.
        return new LargeZone(
                ConfigDocuments.parse(JSON.writeValueAsBytes(doc)), Map.copyOf(planted));
    }

    private static Map<String, Object> host(
            SplittableRandom rnd,
            int i,
            String apex,
            Map<String, Object> resolution,
            Map<String, Integer> planted) {
        String name = "host-" + i + "." + apex;
        double kind = rnd.nextDouble();
        double problem = rnd.nextDouble();
        boolean proxied = rnd.nextDouble() < 0.9;
        boolean wildcard = i % 10_000 == 9_999;
        if (wildcard) {
            planted.merge("dns.wildcard_record", 1, Integer::sum);
            name = "*.w" + i + "." + apex;
        }
        if (kind < 0.40) {
            String ip = "104." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff);
            if (problem < 0.001) {
                ip = "10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff);
                planted.merge("dns.private_ip_in_public_dns", 1, Integer::sum);
                proxied = false; // a private address is never an unproxied-origin finding
            } else if (problem < 0.002) {
                resolution.put(ip, "unassigned");
                planted.merge("dns.a_record_dangling", 1, Integer::sum);
            } else {
                resolution.put(ip, "assigned");
            }
            if (!proxied && !ip.startsWith("10.")) {
                planted.merge("dns.a_record_unproxied", 1, Integer::sum);
            }
            return record(rnd, "A", name, ip, proxied);
        }
        if (kind < 0.55) {
            String ip =
                    "2606:4700:"
                            + Integer.toHexString(i >> 16)
                            + ":"
                            + Integer.toHexString(i & 0xffff)
                            + "::1";
            resolution.put(ip, "assigned");
            if (!proxied) {
                planted.merge("dns.aaaa_record_unproxied", 1, Integer::sum);
            }
            return record(rnd, "AAAA", name, ip, proxied);
        }
        if (kind < 0.80) {
            boolean underscore = rnd.nextDouble() < 0.1 && !wildcard;
            String target = "app-" + i + ".saas-provider.net";
            if (underscore) {
                name = "_acme-challenge.host-" + i + "." + apex;
                proxied = false;
            } else if (!proxied) {
                planted.merge("dns.cname_record_unproxied", 1, Integer::sum);
            }
            if (problem < 0.001) {
                resolution.put(target, "NXDOMAIN");
                planted.merge("dns.cname_record_dangling", 1, Integer::sum);
            } else {
                resolution.put(target, "NOERROR");
            }
            return record(rnd, "CNAME", name, target, proxied);
        }
        if (kind < 0.92) {
            return record(rnd, "TXT", name, "site-verification=" + i, false);
        }
        return record(rnd, "MX", name, "mx" + (i % 3) + ".mail-provider.net", false);
    }

    private static Map<String, Object> record(
            SplittableRandom rnd, String type, String name, String content, boolean proxied) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put(
                "id",
                HexFormat.of().toHexDigits(rnd.nextLong())
                        + HexFormat.of().toHexDigits(rnd.nextLong()));
        r.put("type", type);
        r.put("name", name);
        r.put("content", content);
        r.put("proxied", proxied);
        r.put("ttl", 1L);
        return r;
    }
}
