package dev.jitcolumns.keycloak.model.jpa;

import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.keycloak.connections.jpa.util.JpaUtils;

/**
 * Plain JDBC on the connection of Keycloak's transaction, for the rows whose Hibernate handling measured costly on the
 * request path (see the callers). Each call prepares its statement; the driver keeps prepared statements per connection.
 */
final class Jdbc {

    /** Databases whose JDBC drivers answer the identity keys of a batch's rows. */
    private static final Set<String> BATCH_KEYS_DRIVERS = Set.of("PostgreSQL", "MySQL", "MariaDB", "H2");
    private static final Set<String> SNAPSHOT_READ_DATABASES = Set.of("MySQL", "MariaDB");

    /** Binds a statement's parameters. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Binds one row of a batch. */
    @FunctionalInterface
    interface RowBinder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    /** A query whose text and parameters depend on the database: the product name its driver reports. */
    interface DatabaseQuery {
        String sql(String database);

        void bind(PreparedStatement ps, String database) throws SQLException;
    }

    /** Reads the current row of a result. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final EntityManager em;
    private Boolean snapshotReads;

    Jdbc(EntityManager em) {
        this.em = em;
    }

    /** A table name for SQL written here, in Keycloak's schema when one is configured ({@code db-schema}). */
    String table(String name) {
        return JpaUtils.getTableNameForNativeQuery(name, em);
    }

    /**
     * MySQL and MariaDB run transactions at REPEATABLE READ unless told otherwise (Keycloak leaves it): a plain read
     * answers from the snapshot of the transaction's first read. Other databases Keycloak supports read committed rows.
     */
    boolean readsSnapshots() {
        if (snapshotReads == null) {
            em.runWithConnection((Connection connection) ->
                    snapshotReads = SNAPSHOT_READ_DATABASES.contains(connection.getMetaData().getDatabaseProductName()));
        }
        return snapshotReads;
    }

    /** One statement, once: a single-row insert or an update. */
    void update(String sql, Binder binder) {
        em.runWithConnection((Connection connection) -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                binder.bind(ps);
                ps.executeUpdate();
            }
        });
    }

    /** One statement, executed for each row in one batch: one round trip. */
    <T> void batch(String sql, List<T> rows, RowBinder<T> binder) {
        em.runWithConnection((Connection connection) -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                executeBatch(ps, rows, binder);
            }
        });
    }

    /**
     * {@link #batch} of inserts, answering the identity keys of the inserted rows in order, or an empty list where the
     * driver is not known to give a batch's keys (Oracle answers ROWIDs, SQL Server none).
     */
    <T> List<Long> batchReturningIds(String sql, List<T> rows, RowBinder<T> binder) {
        List<Long> ids = new ArrayList<>(rows.size());
        em.runWithConnection((Connection connection) -> {
            boolean keys = BATCH_KEYS_DRIVERS.contains(connection.getMetaData().getDatabaseProductName());
            try (PreparedStatement ps = keys ? connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)
                    : connection.prepareStatement(sql)) {
                executeBatch(ps, rows, binder);
                if (keys) {
                    try (ResultSet generated = ps.getGeneratedKeys()) {
                        while (generated.next()) {
                            ids.add(generated.getLong(1));
                        }
                    }
                }
            }
        });
        return ids.size() == rows.size() ? ids : List.of();
    }

    /**
     * The rows of a query whose text may depend on the database: {@code sqlFor} is given the product name its driver
     * reports ({@code PostgreSQL}, {@code MySQL}, {@code Microsoft SQL Server}...).
     */
    <T> List<T> query(UnaryOperator<String> sqlFor, Binder binder, RowReader<T> reader) {
        return query(new DatabaseQuery() {
            @Override
            public String sql(String database) {
                return sqlFor.apply(database);
            }

            @Override
            public void bind(PreparedStatement ps, String database) throws SQLException {
                binder.bind(ps);
            }
        }, reader);
    }

    <T> List<T> query(DatabaseQuery query, RowReader<T> reader) {
        List<T> rows = new ArrayList<>();
        em.runWithConnection((Connection connection) -> {
            String database = connection.getMetaData().getDatabaseProductName();
            try (PreparedStatement ps = connection.prepareStatement(query.sql(database))) {
                query.bind(ps, database);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(reader.read(rs));
                    }
                }
            }
        });
        return rows;
    }

    private static <T> void executeBatch(PreparedStatement ps, List<T> rows, RowBinder<T> binder) throws SQLException {
        for (T row : rows) {
            binder.bind(ps, row);
            ps.addBatch();
        }
        ps.executeBatch();
    }
}
