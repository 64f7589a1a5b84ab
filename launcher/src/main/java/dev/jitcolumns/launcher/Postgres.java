package dev.jitcolumns.launcher;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** A PostgreSQL server the launcher can create databases in, embedded or external. */
public interface Postgres extends AutoCloseable {

    /** The JDBC URL of one database of this server. */
    String jdbcUrl(String database);

    /** A role that may create databases and roles (the package's install needs it). */
    String user();

    String password();

    default Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user(), password());
    }

    /** Creates the database unless it exists. */
    default void createDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres");
             var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, name);
            if (!exists.executeQuery().next()) {
                try (var create = c.createStatement()) {
                    create.execute("create database \"" + name.replace("\"", "\"\"") + "\"");
                }
            }
        }
    }

    @Override
    void close();
}
