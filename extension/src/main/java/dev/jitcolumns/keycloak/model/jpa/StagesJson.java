package dev.jitcolumns.keycloak.model.jpa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jitcolumns.keycloak.model.Stage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Stages as a small JSON array in one column: they are always read and written as a whole. */
final class StagesJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Stage>> TYPE = new TypeReference<>() {};
    /**
     * The requests of a policy all carry the same text, so a page of 50 requests parses a handful of distinct ones
     * (parsing each was a tenth of the CPU of an inbox page). Bounded: emptied when full.
     */
    private static final Map<String, List<Stage>> PARSED = new ConcurrentHashMap<>();
    private static final int MAX_PARSED = 1_000;

    private StagesJson() {
    }

    static String write(List<Stage> stages) {
        try {
            return JSON.writeValueAsString(stages);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Stage> read(String json) {
        List<Stage> stages = PARSED.get(json);
        if (stages == null) {
            stages = parse(json);
            if (PARSED.size() >= MAX_PARSED) {
                PARSED.clear();
            }
            PARSED.put(json, stages);
        }
        return stages;
    }

    private static List<Stage> parse(String json) {
        try {
            return List.copyOf(JSON.readValue(json, TYPE));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored stages are not readable", e);
        }
    }
}
