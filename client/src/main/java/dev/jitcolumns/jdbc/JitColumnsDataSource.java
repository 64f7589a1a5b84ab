package dev.jitcolumns.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Wraps an application's {@link DataSource} (a pool, usually) so that every connection it hands out carries
 * the current user's jit-columns token, asked from {@code tokens} (e.g. the user's latest token from Keycloak).
 */
public final class JitColumnsDataSource implements DataSource {

    private static final Set<String> STATEMENT_FACTORIES = Set.of("createStatement", "prepareStatement", "prepareCall");
    private static final Set<String> TRANSACTION_ENDS = Set.of("commit", "rollback");

    private final DataSource delegate;
    private final Supplier<String> tokens;
    private final TokenScope scope;

    public JitColumnsDataSource(DataSource delegate, Supplier<String> tokens, TokenScope scope) {
        this.delegate = delegate;
        this.tokens = tokens;
        this.scope = scope;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(Connection connection) throws SQLException {
        if (scope == TokenScope.CHECKOUT) {
            try {
                JitColumns.presentForSession(connection, tokens.get());
                commitSessionChange(connection);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new Handler(connection));
    }

    /**
     * A session-level set_token or clear_token is undone if its transaction rolls back: the application's first
     * rollback, or the pool's rollback when the connection comes back, would bring the previous user's token back.
     */
    private static void commitSessionChange(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /**
     * In {@link TokenScope#TRANSACTION}, presents the token before the first statement executed in each transaction
     * (statements are wrapped: one prepared in an earlier transaction runs in this one); in {@link TokenScope#CHECKOUT},
     * clears it on close.
     */
    private final class Handler implements InvocationHandler {
        private final Connection connection;
        private boolean presentedInTransaction;

        Handler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (scope == TokenScope.TRANSACTION && STATEMENT_FACTORIES.contains(name)) {
                refuseAutoCommit();
            }
            if (scope == TokenScope.CHECKOUT && name.equals("close") && !connection.isClosed()) {
                clearBeforeReturn();
            }
            try {
                Object result = method.invoke(connection, args);
                return scope == TokenScope.TRANSACTION && STATEMENT_FACTORIES.contains(name) ? presenting(result) : result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if (TRANSACTION_ENDS.contains(name) || (name.equals("setAutoCommit") && Boolean.TRUE.equals(args[0]))) {
                    presentedInTransaction = false;
                }
            }
        }

        private void refuseAutoCommit() throws SQLException {
            if (connection.getAutoCommit()) {
                throw new SQLException("TokenScope.TRANSACTION needs explicit transactions: call setAutoCommit(false)"
                        + " (with autoCommit each statement is its own transaction and would run without the token)");
            }
        }

        /** The statement, presenting the token before it executes in a transaction that has not seen it yet. */
        private Object presenting(Object statement) {
            Class<?> type = statement instanceof CallableStatement ? CallableStatement.class
                    : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
            return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
                if (m.getName().startsWith("execute")) {
                    refuseAutoCommit();
                    if (!presentedInTransaction) {
                        JitColumns.presentForTransaction(connection, tokens.get());
                        presentedInTransaction = true;
                    }
                }
                try {
                    return m.invoke(statement, a);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        }

        /** The next borrower of the pooled connection must not inherit this user's columns. */
        private void clearBeforeReturn() throws SQLException {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            JitColumns.clear(connection);
            commitSessionChange(connection);
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || delegate.isWrapperFor(type);
    }
}
