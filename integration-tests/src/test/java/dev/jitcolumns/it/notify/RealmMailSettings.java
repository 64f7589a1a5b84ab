package dev.jitcolumns.it.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.util.HashMap;
import java.util.Map;

/**
 * The acme realm's SMTP server, email theme and Frontend URL, changed through the stock admin REST API as an
 * administrator would, and put back as they were.
 */
final class RealmMailSettings {

    private final TestEnvironment env;
    private final JsonNode original;

    RealmMailSettings(TestEnvironment env) {
        this.env = env;
        this.original = Http.get(Jit.stockAdmin(env), env.masterAdminToken()).json();
    }

    void smtp(String host, int port) {
        update(Map.of("smtpServer", Map.of("host", host, "port", String.valueOf(port), "from", "jit-columns@acme.example")));
    }

    void noSmtp() {
        update(Map.of("smtpServer", Map.of()));
    }

    void emailTheme(String theme) {
        update(Map.of("emailTheme", theme));
    }

    /** A realm update replaces all attributes: the others go along as they were. */
    void frontendUrl(String url) {
        Map<String, Object> attributes = originalAttributes();
        attributes.put("frontendUrl", url);
        update(Map.of("attributes", attributes));
    }

    void restore() {
        update(Map.of("smtpServer", original.has("smtpServer") ? original.get("smtpServer") : Map.of(),
                "emailTheme", original.path("emailTheme").asText("jit-columns"),
                "attributes", originalAttributes()));
    }

    private Map<String, Object> originalAttributes() {
        Map<String, Object> attributes = new HashMap<>();
        original.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        return attributes;
    }

    private void update(Map<String, Object> partialRealm) {
        Http.Reply r = Http.put(Jit.stockAdmin(env), env.masterAdminToken(), partialRealm);
        assertEquals(204, r.status(), r.toString());
    }
}
