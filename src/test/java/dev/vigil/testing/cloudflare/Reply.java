package dev.vigil.testing.cloudflare;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One answer of the stub: status, content type, body, and the {@code Retry-After} seconds of a 429
 * (else -1). The factories build Cloudflare's envelope: {@code success}, {@code errors} (each
 * {@code {code, message}}, a nested cause in {@code error_chain}), {@code messages}, {@code
 * result}, and {@code result_info} on lists.
 */
record Reply(int status, String contentType, String body, int retryAfter) {

    static final String JSON_TYPE = "application/json; charset=UTF-8";

    static Reply ok(JsonNode result) {
        return new Reply(200, JSON_TYPE, FixtureJson.write(envelope(true, result)), -1);
    }

    static Reply list(JsonNode page, JsonNode resultInfo) {
        ObjectNode env = envelope(true, page);
        env.set("result_info", resultInfo);
        return new Reply(200, JSON_TYPE, FixtureJson.write(env), -1);
    }

    /** A list whose {@code result_info} is left out (the cursor-paged last page). */
    static Reply listWithoutInfo(JsonNode page) {
        return ok(page);
    }

    static Reply error(int status, int code, String message) {
        ObjectNode env = envelope(false, FixtureJson.NODES.nullNode());
        errors(env).add(error(code, message));
        return new Reply(status, JSON_TYPE, FixtureJson.write(env), -1);
    }

    /** An error whose cause is a second error, as Cloudflare nests them in {@code error_chain}. */
    static Reply chained(int status, int code, String message, int causeCode, String cause) {
        ObjectNode env = envelope(false, FixtureJson.NODES.nullNode());
        ObjectNode e = error(code, message);
        e.putArray("error_chain").add(error(causeCode, cause));
        errors(env).add(e);
        return new Reply(status, JSON_TYPE, FixtureJson.write(env), -1);
    }

    /** Several errors side by side (e.g. both missing credential headers). */
    static Reply errors(int status, int code1, String message1, int code2, String message2) {
        ObjectNode env = envelope(false, FixtureJson.NODES.nullNode());
        errors(env).add(error(code1, message1)).add(error(code2, message2));
        return new Reply(status, JSON_TYPE, FixtureJson.write(env), -1);
    }

    static Reply throttled(int retryAfterSeconds) {
        Reply r = error(429, 971, "Please wait and consider throttling your request speed");
        return new Reply(r.status(), r.contentType(), r.body(), retryAfterSeconds);
    }

    /** What Cloudflare's edge serves when the API behind it fails: HTML, not the envelope. */
    static Reply badGatewayPage() {
        String html =
                """
                <html>
                <head><title>502 Bad Gateway</title></head>
                <body>
                <center><h1>502 Bad Gateway</h1></center>
                <hr><center>cloudflare</center>
                </body>
                </html>
                """;
        return new Reply(502, "text/html", html, -1);
    }

    private static ObjectNode envelope(boolean success, JsonNode result) {
        ObjectNode env = FixtureJson.NODES.objectNode();
        env.put("success", success);
        env.putArray("errors");
        env.putArray("messages");
        env.set("result", result);
        return env;
    }

    private static ArrayNode errors(ObjectNode env) {
        return (ArrayNode) env.get("errors");
    }

    private static ObjectNode error(int code, String message) {
        ObjectNode e = FixtureJson.NODES.objectNode();
        e.put("code", code);
        e.put("message", message);
        return e;
    }
}
