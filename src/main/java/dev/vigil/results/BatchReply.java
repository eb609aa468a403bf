package dev.vigil.results;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the API's answer to a batch of results: one item per result, in order. */
final class BatchReply {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BatchReply() {}

    /**
     * Per result of {@code sent}, null when the API applied or ignored it, else its refusal.
     *
     * @throws RetriableResultsException when the reply does not answer every result (a proxy or a
     *     version mismatch): nothing can be known stored, so the batch is sent again
     */
    static List<@Nullable PermanentResultsException> read(String body, List<ScanResult> sent) {
        JsonNode items;
        try {
            items = JSON.readTree(body).path("items");
        } catch (RuntimeException e) {
            throw new RetriableResultsException("unreadable reply to a batch of results: " + e, e);
        }
        if (!items.isArray() || items.size() != sent.size()) {
            throw new RetriableResultsException(
                    "the reply to a batch of "
                            + sent.size()
                            + " results answers "
                            + items.size()
                            + " of them",
                    null);
        }
        List<@Nullable PermanentResultsException> out = new ArrayList<>(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            JsonNode problem = items.get(i).path("problem");
            if (problem.isMissingNode() || problem.isNull()) {
                out.add(null);
                continue;
            }
            ScanResult r = sent.get(i);
            int status = problem.path("status").asInt(400);
            out.add(
                    new PermanentResultsException(
                            status,
                            "results API refused scan "
                                    + r.scanId()
                                    + " of target '"
                                    + r.targetId()
                                    + "' with "
                                    + status
                                    + ": "
                                    + problem));
        }
        return out;
    }
}
