package dev.jitcolumns.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Following the revocation feed's pages, and never elsewhere with the agent's token. */
class KeycloakFeedTest {

    static final URI FEED = URI.create("https://sso.example.com/admin/realms/acme/jit-columns/revocations");

    @Test
    void the_next_link_is_followed_absolute_or_relative() throws IOException {
        assertEquals(URI.create(FEED + "?after=1.g&max=1000"),
                KeycloakFeed.nextPage(FEED, List.of("<" + FEED + "?after=1.g&max=1000>; rel=\"next\"")));
        assertEquals(URI.create(FEED + "?after=2.h"),
                KeycloakFeed.nextPage(FEED, List.of("<revocations?after=2.h>; rel=next")));
        assertEquals(URI.create("https://SSO.example.com:443/admin/realms/acme/jit-columns/revocations?after=3.i"),
                KeycloakFeed.nextPage(FEED, List.of("<https://SSO.example.com:443/admin/realms/acme/jit-columns/revocations?after=3.i>; rel=\"next\"")),
                "the same origin, spelled otherwise");
    }

    @Test
    void no_next_link_is_the_last_page() throws IOException {
        assertNull(KeycloakFeed.nextPage(FEED, List.of()));
        assertNull(KeycloakFeed.nextPage(FEED, List.of("<" + FEED + "?after=1.g>; rel=\"prev\"")));
    }

    @Test
    void a_next_link_to_another_origin_is_refused() {
        for (String elsewhere : List.of("https://attacker.example/admin/realms/acme/jit-columns/revocations",
                "http://sso.example.com/admin/realms/acme/jit-columns/revocations",
                "https://sso.example.com:8443/admin/realms/acme/jit-columns/revocations",
                "//attacker.example/steal")) {
            IOException refused = assertThrows(IOException.class,
                    () -> KeycloakFeed.nextPage(FEED, List.of("<" + elsewhere + ">; rel=\"next\"")), elsewhere);
            assertTrue(refused.getMessage().contains("leaves https://sso.example.com:443"), refused.getMessage());
        }
    }

    @Test
    void a_next_link_that_is_no_uri_is_refused() {
        IOException refused = assertThrows(IOException.class,
                () -> KeycloakFeed.nextPage(FEED, List.of("<https://sso.example.com/a b|c>; rel=\"next\"")));
        assertTrue(refused.getMessage().contains("not a URI"), refused.getMessage());
    }
}
