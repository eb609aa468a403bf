package dev.vigil.sources.cloudflare.internal;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Whether an Access application covers a hostname: its domain (or one of its self-hosted domains)
 * is the hostname, or a wildcard ({@code *.example.com}) one label above it. A path after the host
 * ({@code app.example.com/admin}) protects only that path, so it does not cover the hostname.
 */
final class AccessCoverage {

    private AccessCoverage() {}

    static boolean covers(List<JsonNode> apps, String hostname) {
        String host = ZoneSections.canonical(hostname);
        for (JsonNode app : apps) {
            for (String domain : domains(app)) {
                String d = ZoneSections.canonical(domain);
                if (d.contains("/")) {
                    continue;
                }
                if (d.equals(host)) {
                    return true;
                }
                if (d.startsWith("*.")) {
                    String parent = d.substring(2);
                    int dot = host.indexOf('.');
                    if (dot > 0 && host.substring(dot + 1).equals(parent)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<String> domains(JsonNode app) {
        List<String> out = new ArrayList<>();
        if (app.path("domain").isString()) {
            out.add(app.path("domain").asString());
        }
        out.addAll(ZoneSections.strings(app.path("self_hosted_domains")));
        return out;
    }
}
