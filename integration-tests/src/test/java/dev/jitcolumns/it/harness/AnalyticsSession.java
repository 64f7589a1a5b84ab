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
        return customer1(connection, "app.customers", column);
    }

    /** The same column of customer 1 as stored in {@code public.customers}, read by the database owner: the unmasked truth. */
    public static String storedCustomerColumn(TestEnvironment env, String column) throws SQLException {
        try (Connection owner = env.postgres().connect(AnalyticsDatabase.NAME)) {
            return customer1(owner, "public.customers", column);
        }
    }

    private static String customer1(Connection c, String relation, String column) throws SQLException {
        if (!column.matches("[a-z_]+")) {
            throw new IllegalArgumentException(column);
        }
        try (PreparedStatement read = c.prepareStatement("select " + column + "::text from " + relation + " where id = 1");
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
