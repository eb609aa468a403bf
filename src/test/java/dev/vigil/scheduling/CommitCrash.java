package dev.vigil.scheduling;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source whose next {@code armed} transaction commits "crash": the transaction is rolled
 * back and the commit fails, as if the process died after Kafka acknowledged the batch and before
 * the database commit reached the server. Everything else goes to the real data source.
 */
final class CommitCrash implements DataSource {
    private final DataSource real;
    private final AtomicInteger armed = new AtomicInteger();
    private final AtomicInteger crashes = new AtomicInteger();

    CommitCrash(DataSource real) {
        this.real = real;
    }

    /** Makes the next {@code n} commits crash. */
    void arm(int n) {
        armed.set(n);
    }

    int crashes() {
        return crashes.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(real.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return wrap(real.getConnection(user, password));
    }

    private Connection wrap(Connection c) {
        return (Connection)
                Proxy.newProxyInstance(
                        Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("commit")
                                    && armed.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                                c.rollback();
                                crashes.incrementAndGet();
                                throw new SQLException("injected crash before the commit");
                            }
                            try {
                                return method.invoke(c, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return real.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("vigil.test");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return real.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return real.isWrapperFor(iface);
    }
}
