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
import java.util.Locale;
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
            URI next = nextPage(page, reply.headers().allValues("Link"));
            page = next == null || next.equals(page) ? null : next;
        }
        return ids;
    }

    /**
     * The page that a {@code Link: <...>; rel="next"} header names, resolved against {@code current}; null when there is
     * none. A link to another origin is refused: the service account's token would go with it.
     */
    static URI nextPage(URI current, List<String> linkHeaders) throws IOException {
        for (String header : linkHeaders) {
            Matcher m = NEXT_LINK.matcher(header);
            if (m.find()) {
                URI next;
                try {
                    next = current.resolve(m.group(1));
                } catch (IllegalArgumentException e) {
                    throw new IOException("the revocation feed's next link is not a URI: " + m.group(1));
                }
                if (!origin(next).equals(origin(current))) {
                    throw new IOException("the revocation feed's next link leaves " + origin(current) + ": " + next);
                }
                return next;
            }
        }
        return null;
    }

    private static String origin(URI uri) {
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
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
