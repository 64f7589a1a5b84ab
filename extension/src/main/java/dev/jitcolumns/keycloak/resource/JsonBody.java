package dev.jitcolumns.keycloak.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A JSON request body read by us, not by JAX-RS, so that every bad input gets our 400 naming the field:
 * more than {@value #MAX_BYTES} bytes, malformed JSON, not an object, unknown fields, wrong types.
 */
public final class JsonBody {

    public static final int MAX_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    /** An absent or empty body reads as {@code {}}. */
    public static JsonBody read(InputStream in, Set<String> allowedFields) {
        byte[] bytes;
        try {
            bytes = in == null ? new byte[0] : in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw ApiError.badRequest("body", "The request body could not be read.");
        }
        if (bytes.length > MAX_BYTES) {
            throw ApiError.badRequest("body", "The request body is larger than 64 KiB.");
        }
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return new JsonBody(JSON.createObjectNode());
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("body", "The request body is not valid JSON.");
        } catch (IOException e) {
            throw ApiError.badRequest("body", "The request body could not be read.");
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw ApiError.badRequest("body", "The request body must be a JSON object.");
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowedFields.contains(name)) {
                throw ApiError.badRequest(name, "Unknown field '" + name + "'.");
            }
        }
        return new JsonBody(object);
    }

    private JsonNode value(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    public boolean has(String field) {
        return value(field) != null;
    }

    public String string(String field, boolean required, int maxLength) {
        JsonNode v = value(field);
        if (v == null) {
            if (required) {
                throw ApiError.badRequest(field, field + " is required.");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest(field, field + " must be a string.");
        }
        String s = v.asText();
        if (s.indexOf('\u0000') >= 0) { // PostgreSQL's text cannot hold it: the write would fail with a 500
            throw ApiError.badRequest(field, field + " must not contain the character U+0000.");
        }
        if (required && s.isBlank()) {
            throw ApiError.badRequest(field, field + " must not be empty.");
        }
        if (s.length() > maxLength) {
            throw ApiError.badRequest(field, field + " is longer than " + maxLength + " characters.");
        }
        return s;
    }

    public Integer integer(String field, boolean required) {
        JsonNode v = value(field);
        if (v == null) {
            if (required) {
                throw ApiError.badRequest(field, field + " is required.");
            }
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiError.badRequest(field, field + " must be an integer.");
        }
        return v.intValue();
    }

    public boolean bool(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw ApiError.badRequest(field, field + " must be true or false.");
        }
        return v.booleanValue();
    }

    public List<String> strings(String field, boolean required) {
        JsonNode v = value(field);
        if (v == null) {
            if (required) {
                throw ApiError.badRequest(field, field + " is required.");
            }
            return null;
        }
        if (!v.isArray()) {
            throw ApiError.badRequest(field, field + " must be an array of strings.");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw ApiError.badRequest(field, field + " must be an array of strings.");
            }
            out.add(item.asText());
        }
        return out;
    }

    /** An array of objects, each given to the caller as a JsonBody with its own allowed fields. */
    public List<JsonBody> objects(String field, Set<String> allowedFields) {
        JsonNode v = value(field);
        if (v == null) {
            throw ApiError.badRequest(field, field + " is required.");
        }
        if (!v.isArray()) {
            throw ApiError.badRequest(field, field + " must be an array.");
        }
        List<JsonBody> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!(item instanceof ObjectNode o)) {
                throw ApiError.badRequest(field, field + " must be an array of objects.");
            }
            for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!allowedFields.contains(name)) {
                    throw ApiError.badRequest(field + "." + name, "Unknown field '" + name + "'.");
                }
            }
            out.add(new JsonBody(o));
        }
        return out;
    }
}
