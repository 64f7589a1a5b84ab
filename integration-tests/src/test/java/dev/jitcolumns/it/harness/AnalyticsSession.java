package dev.jitcolumns.it.harness;

import dev.jitcolumns.launcher.AnalyticsDatabase;
import dev.jitcolumns.postgres.DemoDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A session of the application role on the analytics demo database: what an analyst's psql sees. */
public final class AnalyticsSession implements AutoCloseable {

    private final Connection connection;

    public AnalyticsSession(TestEnvironment env) throws SQLException {
        connection = DriverManager.getConnection(env.postgres().jdbcUrl(AnalyticsDatabase.NAME),
                DemoDatabase.APP_USER, DemoDatabase.APP_PASSWORD);
    }

    public Connection connection() {
        return connection;
    }

    /** {@code SELECT jit_columns.set_token(?)}, the token as a bind parameter. */
    public void setToken(String token) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("select jit_columns.set_token(?)")) {
            set.setString(1, token);
            set.execute();
        }
    }

    /** One column of customer 1 as {@code app.customers} shows it (null when masked). */
    public String customerColumn(String column) throws SQLException {
        if (!column.matches("[a-z_]+")) {
            throw new IllegalArgumentException(column);
        }
        try (PreparedStatement read = connection.prepareStatement("select " + column + "::text from app.customers where id = 1");
             ResultSet rs = read.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
