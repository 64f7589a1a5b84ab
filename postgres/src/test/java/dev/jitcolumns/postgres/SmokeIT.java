package dev.jitcolumns.postgres;

import java.sql.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresServer.class)
class SmokeIT {
    @Test
    void smoke() throws Exception {
        try (Connection c = PostgresServer.login("analytics", "app_user"); Statement st = c.createStatement()) {
            String tok = Tokens.KEYS.token("public.customers.ssn");
            try (PreparedStatement ps = c.prepareStatement("SELECT jit_columns.set_token(?)")) {
                ps.setString(1, tok);
                try (ResultSet rs = ps.executeQuery()) { rs.next(); System.out.println(rs.getString(1)); }
            }
            try (ResultSet rs = st.executeQuery("SELECT * FROM app.customers ORDER BY id LIMIT 3")) {
                while (rs.next()) System.out.println(rs.getString("id") + " " + rs.getString("ssn") + " " + rs.getString("card_number") + " " + rs.getString("date_of_birth"));
            }
        }
    }
}
