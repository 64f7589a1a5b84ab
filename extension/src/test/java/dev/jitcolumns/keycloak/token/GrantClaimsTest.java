package dev.jitcolumns.keycloak.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jitcolumns.keycloak.model.Grant;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.representations.AccessToken;

class GrantClaimsTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private static Grant grant(String id, String datasource, Instant expiresAt, String... columns) {
        return new Grant(id, "r-" + id, "u1", "analyst", datasource, List.of(columns), NOW, expiresAt,
                null, null, null, false, false);
    }

    private static AccessToken tokenExpiringIn(long seconds) {
        AccessToken token = new AccessToken();
        token.iat(NOW.getEpochSecond());
        token.exp(NOW.getEpochSecond() + seconds);
        token.audience("account");
        return token;
    }

    @Test
    void merges_columns_per_datasource_sorted_without_duplicates() {
        GrantClaims claims = GrantClaims.of(List.of(
                grant("g2", "analytics", NOW.plusSeconds(600), "public.customers.ssn", "public.customers.email"),
                grant("g1", "analytics", NOW.plusSeconds(900), "public.customers.ssn"),
                grant("g3", "billing", NOW.plusSeconds(900), "public.invoices.iban")));

        assertEquals(Map.of("analytics", List.of("public.customers.email", "public.customers.ssn"),
                "billing", List.of("public.invoices.iban")), claims.columnsByDatasource());
        assertEquals(List.of("g1", "g2", "g3"), claims.grantIds());
    }

    @Test
    void lowers_exp_to_the_earliest_grant_and_adds_each_datasource_as_audience() {
        AccessToken token = tokenExpiringIn(300);

        GrantClaims.of(List.of(grant("g1", "analytics", NOW.plusSeconds(120), "public.customers.ssn")))
                .applyTo(token, "jit_columns", "jit_grants", 300);

        assertEquals(NOW.getEpochSecond() + 120, token.getExp());
        assertArrayEquals(new String[] {"account", "analytics"}, token.getAudience());
        assertEquals(List.of("g1"), token.getOtherClaims().get("jit_grants"));
    }

    @ParameterizedTest(name = "grant ends in {0} s, maximum {1} s: exp in {2} s")
    @CsvSource({
            "3600, 7200, 300",  // never raises exp above the token's lifespan
            "3600,  240, 240",  // the maximum lifetime, below the lifespan, caps it
            " 100,  240, 100",  // the grant's end, earlier still, wins
    })
    void exp_is_the_earliest_of_lifespan_maximum_lifetime_and_grant_end(long grantSeconds, long maxLifetime, long expected) {
        AccessToken token = tokenExpiringIn(300);

        GrantClaims.of(List.of(grant("g1", "analytics", NOW.plusSeconds(grantSeconds), "public.customers.ssn")))
                .applyTo(token, "jit_columns", "jit_grants", maxLifetime);

        assertEquals(NOW.getEpochSecond() + expected, token.getExp());
    }

    @Test
    void no_grant_means_no_claim_no_audience_and_the_same_exp() {
        AccessToken token = tokenExpiringIn(300);

        GrantClaims.of(List.of()).applyTo(token, "jit_columns", "jit_grants", 60);

        assertFalse(token.getOtherClaims().containsKey("jit_columns"));
        assertFalse(token.getOtherClaims().containsKey("jit_grants"));
        assertArrayEquals(new String[] {"account"}, token.getAudience());
        assertEquals(NOW.getEpochSecond() + 300, token.getExp());
    }

    @Test
    void claim_names_are_configurable() {
        AccessToken token = tokenExpiringIn(300);

        GrantClaims.of(List.of(grant("g1", "analytics", NOW.plusSeconds(120), "public.customers.ssn")))
                .applyTo(token, "db_columns", "db_grants", 300);

        assertEquals(Map.of("analytics", List.of("public.customers.ssn")), token.getOtherClaims().get("db_columns"));
        assertFalse(token.getOtherClaims().containsKey("jit_columns"));
    }
}
