package dev.jitcolumns.jdbc;

/** How long a presented token stays attached to a PostgreSQL connection. */
public enum TokenScope {
    /**
     * Each transaction presents the token ({@code set_token(?, true)}); it is gone at COMMIT or ROLLBACK. The
     * only safe choice behind PgBouncer in transaction pooling mode. Needs explicit transactions (autoCommit off).
     */
    TRANSACTION,
    /** Presented once per checkout and cleared when the connection goes back to the pool. */
    CHECKOUT
}
