package dev.vigil.sources.cloudflare.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading Cloudflare's rate-limit header and telling loopback addresses without a lookup. */
class CloudflareClientTest {

    @Test
    void readsRemainingAndResetFromTheRatelimitHeader() {
        String h = "\"default\";r=42;t=287";

        assertThat(CloudflareClient.param(h, "r")).isEqualTo(42);
        assertThat(CloudflareClient.param(h, "t")).isEqualTo(287);
        assertThat(CloudflareClient.param(h, "q")).isEqualTo(-1);
        assertThat(CloudflareClient.param("\"default\";r=x;t=1", "r")).isEqualTo(-1);
    }

    @Test
    void loopbackIsRecognisedFromLiteralsOnly() {
        assertThat(EgressGuard.isLoopbackLiteral("127.0.0.1")).isTrue();
        assertThat(EgressGuard.isLoopbackLiteral("127.3.2.1")).isTrue();
        assertThat(EgressGuard.isLoopbackLiteral("[::1]")).isTrue();
        assertThat(EgressGuard.isLoopbackLiteral("localhost")).isTrue();
        assertThat(EgressGuard.isLoopbackLiteral("api.cloudflare.com")).isFalse();
        assertThat(EgressGuard.isLoopbackLiteral("10.0.0.1")).isFalse();
        assertThat(EgressGuard.isLoopbackLiteral("127.0.0.1.nip.io")).isFalse();
    }
}
