package dev.jitcolumns.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the agent reads from Keycloak: the realm's JWKS (public) and the revocation feed of the admin API, with a token
 * of the agent's service account (client credentials), reused until shortly before it expires.
 */
final class KeycloakFeed {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final AgentSettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private String token;
    private Instant tokenRenewAt = Instant.MIN;

    KeycloakFeed(AgentSettings settings) {
        this.settings = settings;
    }

    /** The JWKS document, as served. */
    String jwks() throws IOException, InterruptedException {
        return get(URI.create(settings.realmUrl() + "/protocol/openid-connect/certs"), null).body();
    }

    /** Ids of the grants revoked while a token may still carry them, every page of the feed. */
    List<String> revokedGrants() throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        URI page = URI.create(settings.adminApi() + "/revocations");
        while (page != null) {
            HttpResponse<String> reply = get(page, serviceAccountToken());
            JSON.readTree(reply.body()).forEach(entry -> ids.add(entry.path("grantId").asText()));
            URI next = nextPage(reply);
            page = next == null || next.equals(page) ? null : page.resolve(next);
        }
        return ids;
    }

    /** The target of a {@code Link: <...>; rel="next"} header, if any. */
    private static URI nextPage(HttpResponse<?> reply) {
        for (String header : reply.headers().allValues("Link")) {
            Matcher m = NEXT_LINK.matcher(header);
            if (m.find()) {
                return URI.create(m.group(1));
            }
        }
        return null;
    }

    private String serviceAccountToken() throws IOException, InterruptedException {
        if (Instant.now().isBefore(tokenRenewAt)) {
            return token;
        }
        String form = "grant_type=client_credentials&client_id=" + encode(settings.clientId())
                + "&client_secret=" + encode(settings.clientSecret());
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.realmUrl() + "/protocol/openid-connect/token"))
                .timeout(TIMEOUT).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> reply = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            throw new IOException("the token endpoint refused client " + settings.clientId() + ": " + reply.statusCode()
                    + " " + reply.body());
        }
        JsonNode body = JSON.readTree(reply.body());
        token = body.path("access_token").asText();
        // Renewed at half its life: a token that expires between two requests of a run costs a failed run.
        tokenRenewAt = Instant.now().plusSeconds(body.path("expires_in").asLong(60) / 2);
        return token;
    }

    private HttpResponse<String> get(URI uri, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> reply = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            if (reply.statusCode() == 401) {
                tokenRenewAt = Instant.MIN;
            }
            throw new IOException("GET " + uri + ": " + reply.statusCode() + " " + reply.body());
        }
        return reply;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
