package dev.jitcolumns.keycloak.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The webhook's body and signature, which receivers rely on. */
class WebhookDeliveryTest {

    static final String SECRET = "secret";

    @Test
    void the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Expected value from Python: hmac.new(b'secret', b'1700000000.{"id":"x"}', hashlib.sha256).hexdigest()
        assertEquals("sha256=2f7852138f9dbd8d61c07c2cfb0b8ac96a46a32d78d4527788fb42fcb409a493",
                WebhookDelivery.signature(SECRET, 1_700_000_000L, "{\"id\":\"x\"}"));
    }

    @Test
    void another_timestamp_body_or_secret_gives_another_signature() {
        String signed = WebhookDelivery.signature(SECRET, 1_700_000_000L, "{\"id\":\"x\"}");

        assertNotEquals(signed, WebhookDelivery.signature(SECRET, 1_700_000_001L, "{\"id\":\"x\"}"));
        assertNotEquals(signed, WebhookDelivery.signature(SECRET, 1_700_000_000L, "{\"id\":\"y\"}"));
        assertNotEquals(signed, WebhookDelivery.signature("secreT", 1_700_000_000L, "{\"id\":\"x\"}"));
    }

    @Test
    void a_request_to_decide_names_its_approvers_and_the_request() throws Exception {
        Notice notice = Notice.requestCreated(NoticeTest.pending(List.of(NoticeTest.OWNERS, NoticeTest.SECURITY), 0, List.of()))
                .orElseThrow();

        JsonNode body = new ObjectMapper().readTree(WebhookDelivery.body(notice, "acme", "https://sso/link", "d1",
                Instant.parse("2026-01-01T10:00:01Z")));

        assertEquals("d1", body.get("id").asText());
        assertEquals("TO_DECIDE", body.get("type").asText());
        assertEquals("acme", body.get("realm").asText());
        assertEquals("2026-01-01T10:00:01Z", body.get("at").asText());
        assertEquals("https://sso/link", body.get("link").asText());
        assertEquals(1, body.get("approvers").size(), "only the stage now waiting");
        assertEquals("/data-owners", body.get("approvers").get(0).get("approverGroup").asText());
        assertEquals("r1", body.get("request").get("id").asText());
        assertEquals("public.customers.ssn", body.get("request").get("columns").get(0).asText());
        assertFalse(body.has("grant"), "a pending request has no grant");
    }

    @Test
    void a_revocation_carries_the_grant_and_no_request() throws Exception {
        Notice notice = Notice.revoked(NoticeTest.GRANT, "admin-id").orElseThrow();

        JsonNode body = new ObjectMapper().readTree(WebhookDelivery.body(notice, "acme", null, "d2", Instant.now()));

        assertEquals("REVOKED", body.get("type").asText());
        assertEquals("g1", body.get("grant").get("id").asText());
        assertFalse(body.has("request"));
        assertEquals(0, body.get("approvers").size());
        assertTrue(body.get("link").isNull(), "no frontend URL, no link");
    }
}
