package dev.jitcolumns.keycloak.model.jpa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jitcolumns.keycloak.model.Stage;
import java.util.List;

/** Stages as a small JSON array in one column: they are always read and written as a whole. */
final class StagesJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Stage>> TYPE = new TypeReference<>() {};

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
        try {
            return JSON.readValue(json, TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored stages are not readable", e);
        }
    }
}
