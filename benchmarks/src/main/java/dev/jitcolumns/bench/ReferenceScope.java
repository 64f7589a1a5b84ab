package dev.jitcolumns.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

/**
 * The token benchmark's control: an optional client scope whose Keycloak mappers (hardcoded claim, audience) put a
 * claim and an audience like ours into the token, created with Keycloak's admin API as the master administrator.
 */
final class ReferenceScope {

    static final String NAME = "bench-reference";
    static final String CLAIM = "reference_columns";

    private ReferenceScope() {
    }

    static void create(BenchEnvironment env) throws Exception {
        String admin = env.masterAdminToken();
        Map<String, Object> scope = Map.of("name", NAME, "protocol", "openid-connect",
                "attributes", Map.of("include.in.token.scope", "true"),
                "protocolMappers", List.of(
                        mapper("reference claim", "oidc-hardcoded-claim-mapper", Map.of("claim.name", CLAIM,
                                "claim.value", "{\"analytics\":[\"public.customers.email\"]}", "jsonType.label", "JSON",
                                "access.token.claim", "true")),
                        mapper("reference audience", "oidc-audience-mapper", Map.of("included.custom.audience", "analytics",
                                "access.token.claim", "true"))));
        var created = BenchEnvironment.send(BenchEnvironment.post(env.adminRealm() + "/client-scopes", admin,
                BenchEnvironment.JSON.writeValueAsString(scope)), 201);
        String scopeId = created.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
        String clients = BenchEnvironment.send(
                BenchEnvironment.get(env.adminRealm() + "/clients?clientId=jit-columns-cli", admin), 200).body();
        String clientId = BenchEnvironment.JSON.readTree(clients).get(0).get("id").asText();
        URI optionalScope = URI.create(env.adminRealm() + "/clients/" + clientId + "/optional-client-scopes/" + scopeId);
        BenchEnvironment.send(HttpRequest.newBuilder(optionalScope).header("Authorization", "Bearer " + admin)
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), 204);
    }

    private static Map<String, Object> mapper(String name, String type, Map<String, String> config) {
        return Map.of("name", name, "protocol", "openid-connect", "protocolMapper", type, "config", config);
    }
}
