package dev.jitcolumns.it.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import dev.jitcolumns.jdbc.JitColumnsDataSource;
import dev.jitcolumns.jdbc.TokenScope;
import dev.jitcolumns.launcher.AnalyticsDatabase;
import dev.jitcolumns.postgres.DemoDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/** An application passing a real Keycloak token to PostgreSQL through the JDBC client. */
@ExtendWith(KeycloakHarness.class)
class JdbcClientIT {

    static String token;
    static String realBirthDate;

    @BeforeAll
    static void aGrantedUserWithAToken(TestEnvironment env) throws SQLException {
        String username = Jit.unique("app");
        Jit.createUser(env, username);
        String id = Jit.created(env, username, Jit.body("datasource", "analytics", "columns", List.of(Jit.DOB),
                "reason", "Age check for a claim", "durationMinutes", 30)).get("id").asText();
        assertEquals(200, Jit.approve(env, env.tokenOf("owner"), id).status());
        token = Jit.databaseToken(env, username);
        try (Connection c = env.postgres().connect(AnalyticsDatabase.NAME);
             ResultSet rs = c.createStatement().executeQuery("select date_of_birth::text from public.customers where id = 1")) {
            rs.next();
            realBirthDate = rs.getString(1);
        }
    }

    static PGSimpleDataSource appDataSource(TestEnvironment env) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(env.postgres().jdbcUrl(AnalyticsDatabase.NAME));
        ds.setUser(DemoDatabase.APP_USER);
        ds.setPassword(DemoDatabase.APP_PASSWORD);
        return ds;
    }

    static String birthDate(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("select date_of_birth::text from app.customers where id = 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void transaction_scope_unmasks_inside_each_transaction_and_leaves_nothing_after_commit(TestEnvironment env) throws SQLException {
        DataSource ds = new JitColumnsDataSource(appDataSource(env), () -> token, TokenScope.TRANSACTION);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            assertEquals(realBirthDate, birthDate(c));
            c.commit();
            assertEquals(realBirthDate, birthDate(c), "presented again in the next transaction");
            c.commit();

            Connection physical = c.unwrap(Connection.class);
            assertNotEquals(realBirthDate, birthDate(physical), "the token ended with the transaction");
        }
    }

    @Test
    void transaction_scope_presents_the_token_to_a_statement_prepared_in_an_earlier_transaction(TestEnvironment env)
            throws SQLException {
        DataSource ds = new JitColumnsDataSource(appDataSource(env), () -> token, TokenScope.TRANSACTION);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("select date_of_birth::text from app.customers where id = ?")) {
                ps.setInt(1, 1);
                for (int transaction = 1; transaction <= 2; transaction++) {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertEquals(realBirthDate, rs.getString(1), "transaction " + transaction);
                    }
                    c.commit();
                }
                c.setAutoCommit(true);
                assertThrows(SQLException.class, ps::executeQuery, "refused rather than run without the token");
            }
        }
    }

    @Test
    void transaction_scope_refuses_autocommit_rather_than_run_without_the_token(TestEnvironment env) throws SQLException {
        DataSource ds = new JitColumnsDataSource(appDataSource(env), () -> token, TokenScope.TRANSACTION);
        try (Connection c = ds.getConnection()) {
            SQLException refused = assertThrows(SQLException.class, c::createStatement);
            assertTrue(refused.getMessage().contains("setAutoCommit(false)"), refused.getMessage());
        }
    }

    @Test
    void checkout_scope_clears_the_token_before_the_pool_hands_the_connection_to_someone_else(TestEnvironment env) throws SQLException {
        try (Connection pooled = appDataSource(env).getConnection()) {
            DataSource pool = new PoolOfOne(pooled);

            try (Connection user = new JitColumnsDataSource(pool, () -> token, TokenScope.CHECKOUT).getConnection()) {
                assertEquals(realBirthDate, birthDate(user));
            }
            try (Connection nextBorrower = pool.getConnection()) {
                assertNotEquals(realBirthDate, birthDate(nextBorrower));
            }
        }
    }

    /** The pool rolls back what is left uncommitted: neither the token's set nor its clearing may be left so. */
    @Test
    void checkout_scope_with_explicit_transactions_leaves_the_next_borrower_nothing(TestEnvironment env) throws SQLException {
        try (Connection pooled = appDataSource(env).getConnection()) {
            pooled.setAutoCommit(false); // as pools configured with autoCommit=false hand connections out
            DataSource pool = new PoolOfOne(pooled);

            try (Connection user = new JitColumnsDataSource(pool, () -> token, TokenScope.CHECKOUT).getConnection()) {
                user.setAutoCommit(false);
                user.rollback(); // the user's first transaction fails: the token stays for the next one
                assertEquals(realBirthDate, birthDate(user));
                user.commit();
            }
            try (Connection nextBorrower = pool.getConnection()) {
                assertNotEquals(realBirthDate, birthDate(nextBorrower));
            }
        }
    }

    @Test
    void a_forged_token_is_refused_and_the_connection_not_handed_out(TestEnvironment env) {
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
        DataSource ds = new JitColumnsDataSource(appDataSource(env), () -> forged, TokenScope.CHECKOUT);

        SQLException refused = assertThrows(SQLException.class, ds::getConnection);
        assertTrue(refused.getMessage().contains("token rejected"), refused.getMessage());
    }

}
