package dev.resilience.pool.internal;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A JDBC connection without a database for unit tests: records what is called on it, and its
 * statements and commit do what the test says.
 */
final class FakeConnection {

    /** What a statement's execute or the commit does. */
    interface Action {
        void run(String sql) throws SQLException;
    }

    final List<String> calls = new ArrayList<>();
    private Action onExecute = sql -> { };
    private Action onCommit = sql -> { };
    private boolean readOnly;

    FakeConnection onExecute(Action action) {
        this.onExecute = action;
        return this;
    }

    FakeConnection onCommit(Action action) {
        this.onCommit = action;
        return this;
    }

    Connection connection() {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    calls.add(name);
                    switch (name) {
                        case "createStatement":
                            return statement(null);
                        case "prepareStatement":
                            return statement((String) args[0]);
                        case "commit":
                            onCommit.run(null);
                            return null;
                        case "setReadOnly":
                            readOnly = (Boolean) args[0];
                            return null;
                        case "isReadOnly":
                            return readOnly;
                        case "isClosed":
                            return false;
                        case "getAutoCommit":
                            return true;
                        case "isWrapperFor":
                            return ((Class<?>) args[0]).isInstance(proxy);
                        case "unwrap":
                            return ((Class<?>) args[0]).cast(proxy);
                        case "toString":
                            return "FakeConnection";
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            return null;
                    }
                });
    }

    private Statement statement(String preparedSql) {
        Class<?> type = preparedSql == null ? Statement.class : java.sql.PreparedStatement.class;
        return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.startsWith("execute")) {
                        String sql = args != null && args.length > 0 ? (String) args[0] : preparedSql;
                        calls.add("execute " + sql);
                        onExecute.run(sql);
                        return method.getReturnType() == boolean.class ? Boolean.TRUE
                                : method.getReturnType() == int.class ? 0 : null;
                    }
                    if (method.getReturnType() == boolean.class) {
                        return false;
                    }
                    return method.getReturnType() == int.class ? 0 : null;
                });
    }
}
