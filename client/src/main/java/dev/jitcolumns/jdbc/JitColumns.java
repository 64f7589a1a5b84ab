package dev.jitcolumns.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The SQL calls of the package's client API. The token is always a bind parameter, so it never appears in
 * SQL text, {@code pg_stat_activity}'s query or the server's statement log.
 */
public final class JitColumns {

    private JitColumns() {
    }

    /** Presents {@code token} until the end of the current transaction. */
    public static void presentForTransaction(Connection connection, String token) throws SQLException {
        present(connection, token, true);
    }

    /** Presents {@code token} until {@link #clear} or the end of the session. */
    public static void presentForSession(Connection connection, String token) throws SQLException {
        present(connection, token, false);
    }

    public static void clear(Connection connection) throws SQLException {
        try (PreparedStatement clear = connection.prepareStatement("select jit_columns.clear_token()")) {
            clear.execute();
        }
    }

    private static void present(Connection connection, String token, boolean local) throws SQLException {
        if (token == null || token.isBlank()) {
            throw new SQLException("No jit-columns token to present: obtain one from Keycloak first");
        }
        try (PreparedStatement set = connection.prepareStatement("select jit_columns.set_token(?, ?)")) {
            set.setString(1, token);
            set.setBoolean(2, local);
            set.execute();
        }
    }
}
