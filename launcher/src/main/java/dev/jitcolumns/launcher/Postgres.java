package dev.jitcolumns.launcher;

import dev.jitcolumns.postgres.DemoDatabase;
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
        try (Connection c = connect("postgres")) {
            DemoDatabase.createDatabase(c, name);
        }
    }

    @Override
    void close();
}
