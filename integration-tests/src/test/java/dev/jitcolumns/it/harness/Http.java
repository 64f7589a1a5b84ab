package dev.jitcolumns.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** Plain HTTP as a browser or a script would speak it: no Keycloak client library in between. */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    public record Reply(int status, HttpResponse<String> response) {
        public String body() {
            return response.body();
        }

        public JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("Not JSON (" + status + "): " + response.body(), e);
            }
        }

        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + response.body();
        }
    }

    public static Reply get(String url, String bearer) {
        return get(url, bearer, Map.of());
    }

    /** A GET with more request headers, e.g. the {@code Origin} a browser adds to a cross-origin call. */
    public static Reply get(String url, String bearer, Map<String, String> headers) {
        return send(request(url, bearer, headers).GET());
    }

    public static Reply delete(String url, String bearer) {
        return send(request(url, bearer).DELETE());
    }

    /** POSTs {@code body} as JSON: a String is sent as is, anything else is serialised. */
    public static Reply post(String url, String bearer, Object body) {
        return post(url, bearer, body, Map.of());
    }

    /** A POST with more request headers, e.g. the {@code Origin} a browser adds to a cross-origin call. */
    public static Reply post(String url, String bearer, Object body, Map<String, String> headers) {
        return send(request(url, bearer, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    /** An OPTIONS request without a token, as a browser's CORS preflight. */
    public static Reply options(String url, Map<String, String> headers) {
        return send(request(url, null, headers).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    }

    public static Reply put(String url, String bearer, Object body) {
        return send(request(url, bearer).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    public static Reply postForm(String url, Map<String, String> form) {
        String encoded = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded)));
    }

    private static HttpRequest.Builder request(String url, String bearer) {
        return request(url, bearer, Map.of());
    }

    private static HttpRequest.Builder request(String url, String bearer, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json");
        headers.forEach(b::header);
        return bearer == null ? b : b.header("Authorization", "Bearer " + bearer);
    }

    private static String json(Object body) {
        if (body instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
