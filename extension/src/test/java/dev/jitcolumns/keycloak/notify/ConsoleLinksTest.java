package dev.jitcolumns.keycloak.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jitcolumns.keycloak.model.AccessRequest;
import dev.jitcolumns.keycloak.model.RequestStatus;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleLinksTest {

    static final ConsoleLinks ACME = new ConsoleLinks(URI.create("https://sso.example.com/auth/"), "acme");

    @Test
    void approvers_open_the_request_in_the_admin_console() {
        assertEquals("https://sso.example.com/auth/admin/acme/console/#/acme/jit-columns/requests/r1", ACME.adminRequest("r1"));
    }

    @Test
    void requesters_open_their_access_page_in_the_account_console() {
        assertEquals("https://sso.example.com/auth/realms/acme/account/sensitive-data", ACME.accountSensitiveData());
    }

    @Test
    void a_base_without_trailing_slash_and_a_realm_name_with_a_space_still_give_valid_links() {
        ConsoleLinks links = new ConsoleLinks(URI.create("http://127.0.0.1:8080"), "my realm");
        assertEquals("http://127.0.0.1:8080/realms/my%20realm/account/sensitive-data", links.accountSensitiveData());
        assertEquals("http://127.0.0.1:8080/admin/my%20realm/console/#/my%20realm/jit-columns", links.adminInbox());
    }

    @Test
    void each_mail_links_to_the_console_its_reader_acts_in() {
        AccessRequest r = NoticeTest.pending(List.of(NoticeTest.OWNERS), 0, List.of());
        Notice toDecide = Notice.requestCreated(r).orElseThrow();
        Notice approved = Notice.decided(r, NoticeTest.request(RequestStatus.APPROVED, List.of(NoticeTest.OWNERS), 1,
                List.of(), false, NoticeTest.GRANT)).orElseThrow();
        Optional<Notice> revoked = Notice.revoked(NoticeTest.GRANT, "owner-id");

        assertEquals(ACME.adminRequest("r1"), ACME.forMail(toDecide));
        assertEquals(ACME.accountSensitiveData(), ACME.forMail(approved));
        assertEquals(ACME.accountSensitiveData(), ACME.forMail(revoked.orElseThrow()));
    }
}
