package dev.vigil.testing.cloudflare;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** A small HTTP client for the stub's own tests: GETs a path with a chosen Authorization. */
final class StubClient {

    /** One answer: the status, the raw response (headers) and the body parsed when JSON. */
    record Answer(int status, HttpResponse<String> raw) {
        JsonNode json() {
            return FixtureJson.JSON.readTree(raw.body());
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse("");
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    StubClient(CloudflareStub stub) {
        this.base = stub.baseUrl();
    }

    Answer get(String pathAndQuery) {
        return send("GET", pathAndQuery, "Bearer " + StubFleet.TOKEN, Duration.ofSeconds(10));
    }

    Answer send(String method, String pathAndQuery, String authorization, Duration timeout) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                        .timeout(timeout)
                        .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(method + " " + pathAndQuery + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + pathAndQuery, e);
        }
    }
}
