package dev.jitcolumns.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A database session of the application role, as an attacker or an honest client would hold it. */
final class Session implements AutoCloseable {

    final Connection conn;

    private Session(Connection conn) {
        this.conn = conn;
    }

    static Session app() throws SQLException {
        return app("analytics");
    }

    static Session superuser() throws SQLException {
        return superuser("analytics");
    }

    static Session app(String db) throws SQLException {
        return new Session(PostgresServer.login(db, DemoDatabase.APP_USER));
    }

    static Session superuser(String db) throws SQLException {
        return new Session(PostgresServer.superuser(db));
    }

    JsonNode setToken(String token) throws SQLException {
        return setToken(token, false);
    }

    JsonNode setToken(String token, boolean local) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT jit_columns.set_token(?, ?)")) {
            ps.setString(1, token);
            ps.setBoolean(2, local);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Tokens.JSON.readTree(rs.getString(1));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The value of {@code col} of customer {@code id} as read through the masked view app.customers. */
    String customer(long id, String col) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT * FROM app.customers WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no customer " + id);
                }
                return rs.getString(col);
            }
        }
    }

    String ssn() throws SQLException {
        return customer(1, "ssn");
    }

    String one(String sql) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    List<String> column(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Sets the GUC jit_columns.token by hand, as a client may, to any text. */
    void setGuc(String value) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT set_config('jit_columns.token', ?, false)")) {
            ps.setString(1, value);
            ps.executeQuery().close();
        }
    }

    void exec(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        conn.close();
    }
}
