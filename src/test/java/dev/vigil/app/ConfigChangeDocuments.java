package dev.vigil.app;

import dev.vigil.inventory.Target;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The configuration documents {@link ConfigChangeIT} pushes. */
final class ConfigChangeDocuments {

    private ConfigChangeDocuments() {}

    /** The zone document of CHECKS.md, for this zone: known misconfigurations, no wildcard. */
    static ObjectNode baseline(Target z) {
        ObjectNode d = JsonMapper.builder().build().createObjectNode();
        d.putObject("zone")
                .put("id", z.targetId())
                .put("name", z.name())
                .put("status", "active")
                .put("plan", "free")
                .put("paused", false)
                .put("account_id", z.accountId());
        d.putObject("settings")
                .put("ssl", "flexible")
                .put("min_tls_version", "1.0")
                .put("tls_1_3", "off")
                .put("always_use_https", "off")
                .put("security_level", "essentially_off")
                .put("development_mode", "on");
        d.putObject("universal_ssl").put("enabled", true);
        d.putObject("dnssec").put("status", "disabled");
        var records = d.putArray("dns_records");
        records.addObject()
                .put("id", "372e6795")
                .put("type", "A")
                .put("name", "origin." + z.name())
                .put("content", "203.0.113.7")
                .put("proxied", false)
                .put("ttl", 1);
        records.addObject()
                .put("id", "4f1c")
                .put("type", "TXT")
                .put("name", z.name())
                .put("content", "v=spf1 +all");
        d.putObject("dns_resolution").put("old-shop.herokuapp.com", "NXDOMAIN");
        return d;
    }
}
