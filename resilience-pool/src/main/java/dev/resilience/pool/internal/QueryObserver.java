package dev.resilience.pool.internal;

import dev.resilience.core.Clock;
import dev.resilience.pool.internal.PoolMetrics.QueryOutcome;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times every statement run on the connections it wraps, records it in the metrics and logs the
 * slow ones at WARN with their elapsed time and SQL text (parameter values only when asked to).
 *
 * <p>The wrappers are {@link Proxy dynamic proxies} (constructors looked up once): one class covers the whole {@link Connection},
 * {@link Statement}, {@link PreparedStatement} and {@link CallableStatement} surface. The cost per
 * statement is one reflective call and one timer update; the JMH benchmark measures it against a
 * database round trip. Thread-safe; the wrappers are as thread-safe as the connection they wrap.
 */
public final class QueryObserver {

    private static final Logger LOG = LoggerFactory.getLogger("dev.resilience.pool.SlowQueryLog");
    private static final ClassLoader LOADER = QueryObserver.class.getClassLoader();
    // proxy constructors looked up once: Proxy.newProxyInstance would look the class up and copy arrays per call
    private static final MethodHandle CONNECTION = proxyConstructor(Connection.class);
    private static final MethodHandle STATEMENT = proxyConstructor(Statement.class);
    private static final MethodHandle PREPARED = proxyConstructor(PreparedStatement.class);
    private static final MethodHandle CALLABLE = proxyConstructor(CallableStatement.class);
    private static final int MAX_SQL_LENGTH = 2000;

    private final String poolName;
    private final Clock clock;
    private final long slowNanos;
    private final boolean logParameters;
    private final PoolMetrics metrics;

    /**
     * @param poolName the pool named in log lines
     * @param clock the source of elapsed time
     * @param slowThreshold statements at or over it are logged; zero logs every statement
     * @param logParameters whether slow-query lines carry the bound parameter values
     * @param metrics where timings go
     */
    public QueryObserver(String poolName, Clock clock, Duration slowThreshold, boolean logParameters, PoolMetrics metrics) {
        this.poolName = poolName;
        this.clock = clock;
        this.slowNanos = slowThreshold.toNanos();
        this.logParameters = logParameters;
        this.metrics = metrics;
    }

    /** A connection whose statements are observed; closing it closes {@code connection}. */
    public Connection wrap(Connection connection) {
        return (Connection) newProxy(CONNECTION, new ConnectionHandler(connection));
    }

    private static MethodHandle proxyConstructor(Class<?> type) {
        try {
            Class<?> proxyClass = Proxy.newProxyInstance(LOADER, new Class<?>[] {type}, (proxy, method, args) -> null).getClass();
            return MethodHandles.publicLookup().findConstructor(proxyClass, MethodType.methodType(void.class, InvocationHandler.class))
                    .asType(MethodType.methodType(Object.class, InvocationHandler.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot look up the proxy constructor for " + type.getName(), e);
        }
    }

    private static Object newProxy(MethodHandle constructor, InvocationHandler handler) {
        try {
            return constructor.invokeExact(handler);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create a JDBC wrapper", e);
        }
    }

    private void observed(String sql, Map<Integer, Object> parameters, long elapsedNanos, QueryOutcome outcome) {
        metrics.query(elapsedNanos, outcome);
        if (elapsedNanos >= slowNanos) {
            metrics.slowQuery();
            long millis = elapsedNanos / 1_000_000;
            String text = Redaction.sql(sql.length() > MAX_SQL_LENGTH ? sql.substring(0, MAX_SQL_LENGTH) + "..." : sql);
            if (logParameters && parameters != null && !parameters.isEmpty()) {
                LOG.warn("Slow query on pool {}: {} ms ({}): {} parameters {}", poolName, millis, outcome.tag(), text, parameters);
            } else {
                LOG.warn("Slow query on pool {}: {} ms ({}): {}", poolName, millis, outcome.tag(), text);
            }
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private final class ConnectionHandler implements InvocationHandler {
        private final Connection delegate;

        ConnectionHandler(Connection delegate) {
            this.delegate = delegate;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object result = QueryObserver.invoke(delegate, method, args);
            if (!(result instanceof Statement)) {
                return result;
            }
            String name = method.getName();
            MethodHandle type = result instanceof CallableStatement ? CALLABLE
                    : result instanceof PreparedStatement ? PREPARED : STATEMENT;
            String sql = name.startsWith("prepare") ? (String) args[0] : null;
            return newProxy(type, new StatementHandler((Statement) result, (Connection) proxy, sql));
        }
    }

    private final class StatementHandler implements InvocationHandler {
        private final Statement delegate;
        private final Connection connection;
        private final String preparedSql;
        private Map<Integer, Object> parameters;

        StatementHandler(Statement delegate, Connection connection, String preparedSql) {
            this.delegate = delegate;
            this.connection = connection;
            this.preparedSql = preparedSql;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.startsWith("execute")) {
                return timed(method, args);
            }
            if (name.equals("getConnection")) {
                return connection;
            }
            if (logParameters && preparedSql != null) {
                recordParameter(name, args);
            }
            return QueryObserver.invoke(delegate, method, args);
        }

        private Object timed(Method method, Object[] args) throws Throwable {
            long start = clock.nanoTime();
            QueryOutcome outcome = QueryOutcome.ERROR;
            try {
                Object result = QueryObserver.invoke(delegate, method, args);
                outcome = QueryOutcome.SUCCESS;
                return result;
            } catch (SQLException e) {
                if ("57014".equals(e.getSQLState())) {
                    outcome = QueryOutcome.TIMEOUT;
                }
                throw e;
            } finally {
                String sql = args != null && args.length > 0 && args[0] instanceof String ? (String) args[0]
                        : preparedSql != null ? preparedSql : "<batch>";
                observed(sql, parameters, clock.nanoTime() - start, outcome);
            }
        }

        private void recordParameter(String name, Object[] args) {
            if (name.equals("clearParameters")) {
                parameters = null;
            } else if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer) {
                if (parameters == null) {
                    parameters = new TreeMap<>();
                }
                parameters.put((Integer) args[0], args[1]);
            }
        }
    }
}
