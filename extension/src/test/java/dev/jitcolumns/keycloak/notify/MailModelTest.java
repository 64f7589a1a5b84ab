package dev.jitcolumns.keycloak.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jitcolumns.keycloak.model.AccessRequest;
import dev.jitcolumns.keycloak.model.RequestStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The attributes are the templates' contract: the names the theme's .ftl files read. */
class MailModelTest {

    @Test
    void a_pending_request_carries_what_an_approver_decides_on() {
        AccessRequest r = NoticeTest.pending(List.of(NoticeTest.OWNERS, NoticeTest.SECURITY), 0, List.of());
        Notice n = Notice.requestCreated(r).orElseThrow();

        Map<String, Object> a = MailModel.attributes(n, "https://link");

        @SuppressWarnings("unchecked")
        Map<String, Object> request = (Map<String, Object>) a.get("request");
        assertEquals(List.of("public.customers.ssn"), request.get("columns"));
        assertEquals("Investigating fraud", request.get("reason"));
        assertEquals("INC-1", request.get("ticket"));
        assertEquals("data-owner", request.get("currentStage"));
        assertEquals("analyst", ((Map<?, ?>) request.get("requester")).get("username"));
        assertEquals("2026-01-01 10:00 UTC", a.get("requestedAt"));
        assertEquals("https://link", a.get("link"));
        assertFalse(a.containsKey("grant"));
        assertEquals(List.of("analyst", "analytics"), MailModel.subjectAttributes(n));
    }

    @Test
    void an_approval_carries_the_grant_end_in_utc() {
        AccessRequest approved = NoticeTest.request(RequestStatus.APPROVED, List.of(NoticeTest.OWNERS), 1, List.of(),
                false, NoticeTest.GRANT);
        Notice n = Notice.decided(NoticeTest.pending(List.of(NoticeTest.OWNERS), 0, List.of()), approved).orElseThrow();

        assertEquals("2026-01-01 11:00 UTC", MailModel.attributes(n, null).get("expiresAt"));
        assertFalse(MailModel.attributes(n, null).containsKey("link"));
    }

    @Test
    void a_revocation_names_the_holder_in_the_subject() {
        Notice n = Notice.revoked(NoticeTest.GRANT, "owner-id").orElseThrow();
        assertEquals(List.of("analyst", "analytics"), MailModel.subjectAttributes(n));
    }
}
