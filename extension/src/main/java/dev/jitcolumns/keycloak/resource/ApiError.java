package dev.jitcolumns.keycloak.resource;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** The error body of both REST APIs: {@code {error, field?, message}}. */
public final class ApiError extends WebApplicationException {

    private ApiError(Response.Status status, String error, String field, String message) {
        super(message, Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body(error, field, message))
                .build());
    }

    public static ApiError unauthorized() {
        return new ApiError(Response.Status.UNAUTHORIZED, "unauthorized", null, "A valid bearer token of this realm is required.");
    }

    public static ApiError forbidden(String message) {
        return new ApiError(Response.Status.FORBIDDEN, "forbidden", null, message);
    }

    public static ApiError badRequest(String field, String message) {
        return new ApiError(Response.Status.BAD_REQUEST, "invalid_request", field, message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(Response.Status.NOT_FOUND, "not_found", null, message);
    }

    public static ApiError conflict(String message) {
        return new ApiError(Response.Status.CONFLICT, "conflict", null, message);
    }

    /** The answer to a refused domain operation. */
    public static ApiError from(dev.jitcolumns.keycloak.model.DomainException e) {
        return switch (e.kind()) {
            case INVALID -> badRequest(e.field(), e.getMessage());
            case FORBIDDEN -> forbidden(e.getMessage());
            case NOT_FOUND -> notFound(e.getMessage());
            case CONFLICT -> conflict(e.getMessage());
        };
    }

    private static Map<String, String> body(String error, String field, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        if (field != null) {
            body.put("field", field);
        }
        body.put("message", message);
        return body;
    }
}
