package dev.jitcolumns.keycloak.notify;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WebhookAddressesTest {

    static final WebhookAddresses NONE_ALLOWED = WebhookAddresses.parse("");

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/h", "http://localhost:8080/h", "http://[::1]/h", "http://0.0.0.0/h",
            "http://10.1.2.3/h", "http://172.16.0.9/h", "http://192.168.1.1/h", "http://169.254.169.254/latest/meta-data",
            "http://100.64.0.1/h", "http://[fd00::1]/h", "http://[fe80::1]/h", "http://[::ffff:127.0.0.1]/h", "http://224.0.0.1/h"})
    void an_internal_address_is_refused_naming_the_option(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NONE_ALLOWED.check(URI.create(url)));
        assertTrue(e.getMessage().contains(WebhookAddresses.OPTION), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.216.34/hook", "http://8.8.8.8:8080/h", "https://[2001:4860:4860::8888]/h"})
    void a_public_address_is_taken(String url) {
        assertDoesNotThrow(() -> NONE_ALLOWED.check(URI.create(url)));
    }

    @Test
    void the_operator_allows_listed_addresses_only() {
        WebhookAddresses local = WebhookAddresses.parse(" 127.0.0.1 , ::1");
        assertDoesNotThrow(() -> local.check(URI.create("http://127.0.0.1:9000/hook")));
        assertDoesNotThrow(() -> local.check(URI.create("http://[::1]:9000/hook")));
        assertThrows(IllegalArgumentException.class, () -> local.check(URI.create("http://10.0.0.1/hook")));
        assertEquals("0:0:0:0:0:0:0:1,127.0.0.1", local.option());
        assertThrows(IllegalArgumentException.class, () -> WebhookAddresses.parse("internal.example"));
    }

    @Test
    void a_host_that_does_not_resolve_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> NONE_ALLOWED.check(URI.create("http://no-such-host.invalid/hook")));
    }
}
