package dev.vigil.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code alerts} benchmark's receiver counts what its figures rest on: only a verified request
 * records its events, and repeats are told apart from first deliveries. Loopback only.
 */
class WebhookReceiverTest {
    static final String SECRET =
            "whsec_"
                    + Base64.getEncoder()
                            .encodeToString(
                                    "0123456789abcdef0123456789abcdef"
                                            .getBytes(StandardCharsets.UTF_8));
    static final String BODY =
            "{\"type\":\"vigil.insights\",\"data\":{\"events\":[{\"zone_id\":\"z1\","
                    + "\"check_id\":\"tls.ssl_off\"}]}}";

    WebhookReceiver receiver;
    HttpClient http;

    @BeforeEach
    void start() {
        receiver = WebhookReceiver.start();
        receiver.expect("a1", SECRET);
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        http.close();
        receiver.close();
    }

    @Test
    void aSignedDeliveryIsRecordedOnce() throws Exception {
        assertThat(post("a1", "msg_1", SECRET, BODY)).isEqualTo(200);

        assertThat(receiver.receivedAt("z1", "tls.ssl_off")).isNotNull();
        assertThat(receiver.counts()).isEqualTo(new WebhookReceiver.Counts(1, 1, 0, 0, 0));
    }

    @Test
    void aWrongSignatureIsRefusedAndRecordsNothing() throws Exception {
        String other = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);

        assertThat(post("a1", "msg_1", other, BODY)).isEqualTo(401);

        assertThat(receiver.receivedAt("z1", "tls.ssl_off")).isNull();
        assertThat(receiver.counts()).isEqualTo(new WebhookReceiver.Counts(0, 0, 0, 0, 1));
    }

    @Test
    void aRetryWithTheSameIdIsARepeatAndItsInsightADuplicate() throws Exception {
        post("a1", "msg_1", SECRET, BODY);
        post("a1", "msg_1", SECRET, BODY);
        post("a1", "msg_2", SECRET, BODY);

        assertThat(receiver.counts()).isEqualTo(new WebhookReceiver.Counts(3, 3, 1, 2, 0));
    }

    private int post(String account, String id, String secret, String body) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String signature = new Webhook(secret).sign(id, now, body);
        HttpRequest req =
                HttpRequest.newBuilder(receiver.url(account))
                        .header("webhook-id", id)
                        .header("webhook-timestamp", Long.toString(now))
                        .header("webhook-signature", signature)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        return http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
