package dev.jitcolumns.launcher;

import dev.jitcolumns.postgres.DemoDatabase;
import dev.jitcolumns.postgres.SqlPackage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The demo database {@value DemoDatabase#DATABASE}: the SQL package, {@code public.customers} masked
 * behind {@code app.customers}, and trust in one Keycloak realm (its issuer and JWKS), which in production
 * the agent keeps up to date.
 */
public final class AnalyticsDatabase {

    public static final String NAME = DemoDatabase.DATABASE;

    private AnalyticsDatabase() {
    }

    /** Idempotent: an existing demo database is kept as it is. */
    public static void install(Postgres postgres, int rows) throws SQLException {
        postgres.createDatabase(NAME);
        try (Connection c = postgres.connect(NAME)) {
            DemoDatabase.create(c, rows);
        }
    }

    /** Trusts tokens of {@code realmUrl} (e.g. {@code http://127.0.0.1:8080/realms/acme}) whose audience is {@value #NAME}. */
    public static void trustRealm(Postgres postgres, String realmUrl) throws SQLException, IOException, InterruptedException {
        String jwks = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/certs")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        try (Connection c = postgres.connect(NAME)) {
            SqlPackage.configure(c, realmUrl, NAME, Duration.ofSeconds(30), Duration.ofMinutes(10));
            SqlPackage.loadJwks(c, jwks);
        }
    }
}
