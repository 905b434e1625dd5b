package dev.resilience.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.resilience.backup.LocalDirectoryStore;
import dev.resilience.backup.PostgresBackup;
import dev.resilience.cache.RedisCache;
import dev.resilience.core.Retry;
import dev.resilience.health.CheckOptions;
import dev.resilience.health.HealthRegistry;
import dev.resilience.health.SecurityHeaders;
import dev.resilience.pool.ResilientDataSource;
import dev.resilience.queue.TaskPolicy;
import dev.resilience.queue.TaskQueue;
import dev.resilience.ratelimit.Limit;
import dev.resilience.ratelimit.RateLimitPolicy;
import dev.resilience.ratelimit.RedisRateLimiter;
import dev.resilience.redis.RedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Walks every public builder of every published module (every public {@code builder(...)} factory in a
 * non-internal package) and gives each of its setters bad values: {@code null} for every reference
 * parameter, zero and negative durations, zero, negative and extreme numbers, NaN, empty and blank
 * strings. The library's one argument convention (root README, "Every policy and component has the same
 * shape") says a {@code null} throws {@link NullPointerException} and a value out of range throws
 * {@link IllegalArgumentException}, both with a message that names the parameter; a negative duration
 * and NaN are never accepted; a value out of range shows itself in the message (strings are not checked
 * for that: an empty one shows nothing). A varargs array is not given {@code null} (a caller writes
 * {@code retryOn()}). Runs on the class path, as a user's tests do.
 */
class BuilderArgumentsTest {

    /** One class of each published module that has builders: the walk scans each one's jar or folder. */
    static final List<Class<?>> MODULES = List.of(Retry.class, ResilientDataSource.class, RedisRateLimiter.class,
            HealthRegistry.class, PostgresBackup.class, TaskQueue.class, RedisCache.class, RedisConnection.class);

    static Path backupFolder;

    @TestFactory
    Stream<DynamicTest> everyBuilderSetterRejectsBadValuesNamingTheParameter() throws Exception {
        backupFolder = Files.createTempDirectory("builder-arguments");
        List<Method> factories = builderFactories();
        assertThat(factories).as("builder factories found").hasSizeGreaterThan(25);
        List<DynamicTest> tests = new ArrayList<>();
        for (Method factory : factories) {
            String owner = factory.getDeclaringClass().getSimpleName();
            tests.add(DynamicTest.dynamicTest(owner + ".builder(...)", () -> checkFactory(factory)));
            for (Method setter : setters(factory)) {
                tests.add(DynamicTest.dynamicTest(owner + ".Builder." + signature(setter),
                        () -> checkSetter(factory, setter)));
            }
        }
        return tests.stream();
    }

    /** The factory itself: a null argument is named in a NullPointerException. */
    static void checkFactory(Method factory) throws Exception {
        for (int i = 0; i < factory.getParameterCount(); i++) {
            Parameter p = factory.getParameters()[i];
            if (p.getType().isPrimitive()) {
                continue;
            }
            Object[] args = samples(factory, i);
            expectRejected(() -> factory.invoke(null, args), NullPointerException.class, p, factory.getName(), "null");
        }
    }

    static void checkSetter(Method factory, Method setter) throws Exception {
        Parameter[] params = setter.getParameters();
        for (int i = 0; i < params.length; i++) {
            Parameter p = params[i];
            Class<?> type = p.getType();
            boolean varargsArray = setter.isVarArgs() && i == params.length - 1;
            for (Object bad : badValues(type)) {
                if (bad == null && varargsArray) {
                    continue; // callers write retryOn(), never retryOn((Class[]) null)
                }
                Object builder = factory.invoke(null, samples(factory, -1));
                Object[] args = samples(setter, i);
                args[i] = bad;
                Class<? extends RuntimeException> expected = bad == null
                        ? NullPointerException.class : IllegalArgumentException.class;
                boolean mustReject = bad == null || isNegativeDuration(bad) || isNaN(bad);
                Throwable thrown = invoke(setter, builder, args);
                if (thrown == null) {
                    if (mustReject) {
                        fail(signature(setter) + " accepted " + show(bad) + " for " + p.getName());
                    }
                    continue;
                }
                assertNamed(thrown, expected, p, setter.getName(), show(bad));
            }
        }
    }

    static void expectRejected(Call call, Class<? extends RuntimeException> expected, Parameter p, String method,
                               String bad) throws Exception {
        Throwable thrown = null;
        try {
            call.run();
        } catch (InvocationTargetException e) {
            thrown = e.getCause();
        }
        if (thrown == null) {
            fail(method + " accepted " + bad + " for " + p.getName());
        }
        assertNamed(thrown, expected, p, method, bad);
    }

    static void assertNamed(Throwable thrown, Class<? extends RuntimeException> expected, Parameter p, String method,
                            String bad) {
        String what = method + "(" + p.getName() + " = " + bad + ") threw " + thrown;
        assertThat(thrown).as(what).isInstanceOf(expected);
        assertThat(thrown.getMessage()).as(what).isNotNull();
        String message = thrown.getMessage().toLowerCase(Locale.ROOT);
        assertThat(message.contains(p.getName().toLowerCase(Locale.ROOT)) || message.contains(method.toLowerCase(Locale.ROOT)))
                .as(what + ": the message names the parameter").isTrue();
        if (expected == IllegalArgumentException.class && !bad.startsWith("'")) {
            assertThat(thrown.getMessage()).as(what + " message shows the value").contains(bad);
        }
    }

    interface Call {
        void run() throws Exception;
    }

    static Throwable invoke(Method m, Object target, Object[] args) throws IllegalAccessException {
        try {
            m.invoke(target, args);
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        }
    }

    static boolean isNegativeDuration(Object v) {
        return v instanceof Duration d && d.isNegative();
    }

    static boolean isNaN(Object v) {
        return v instanceof Double d && d.isNaN() || v instanceof Float f && f.isNaN();
    }

    static String show(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        return String.valueOf(v);
    }

    static List<Object> badValues(Class<?> type) {
        List<Object> bad = new ArrayList<>();
        if (!type.isPrimitive()) {
            bad.add(null);
        }
        if (type == Duration.class) {
            bad.add(Duration.ZERO);
            bad.add(Duration.ofSeconds(-1));
        } else if (type == int.class) {
            bad.add(0);
            bad.add(-1);
            bad.add(Integer.MIN_VALUE);
            bad.add(Integer.MAX_VALUE);
        } else if (type == long.class) {
            bad.add(0L);
            bad.add(-1L);
            bad.add(Long.MIN_VALUE);
        } else if (type == double.class) {
            bad.add(-1.0);
            bad.add(Double.NaN);
        } else if (type == float.class) {
            bad.add(-1.0f);
            bad.add(Float.NaN);
        } else if (type == String.class) {
            bad.add("");
            bad.add(" ");
        }
        return bad;
    }

    /** Valid arguments for every parameter of {@code m} but the one at {@code except}, which is null. */
    static Object[] samples(Method m, int except) throws Exception {
        Object[] args = new Object[m.getParameterCount()];
        for (int i = 0; i < args.length; i++) {
            args[i] = i == except ? null : sample(m.getParameters()[i].getType(), m);
        }
        return args;
    }

    static Object sample(Class<?> type, Method where) throws Exception {
        Object known = SAMPLES.get(type);
        if (known != null) {
            return known;
        }
        if (type == PostgresBackup.class) {
            return PostgresBackup.builder().database("db").store(LocalDirectoryStore.of(backupFolder)).build();
        }
        if (type == HealthRegistry.class) {
            return HealthRegistry.builder().build();
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        if (type.isArray()) {
            Object array = Array.newInstance(type.getComponentType(), 1);
            Array.set(array, 0, sample(type.getComponentType(), where));
            return array;
        }
        if (type.isInterface()) {
            return Proxy.newProxyInstance(BuilderArgumentsTest.class.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "toString" -> "sample " + type.getSimpleName();
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException("sample " + type.getSimpleName());
                    });
        }
        throw new AssertionError("no sample value for " + type.getName() + " (a parameter of " + where
                + "): add one to BuilderArgumentsTest.SAMPLES so this builder is walked too");
    }

    static final Map<Class<?>, Object> SAMPLES = Map.ofEntries(
            Map.entry(String.class, "sample"),
            Map.entry(int.class, 1),
            Map.entry(long.class, 1L),
            Map.entry(double.class, 0.5),
            Map.entry(float.class, 50f),
            Map.entry(boolean.class, true),
            Map.entry(Duration.class, Duration.ofSeconds(1)),
            Map.entry(byte[].class, new byte[32]),
            Map.entry(char[].class, "secret".toCharArray()),
            Map.entry(URI.class, URI.create("http://127.0.0.1:9/hook")),
            Map.entry(Path.class, Path.of(System.getProperty("java.io.tmpdir"))),
            Map.entry(ZoneId.class, ZoneId.of("UTC")),
            Map.entry(Class.class, IOException.class),
            Map.entry(io.micrometer.core.instrument.MeterRegistry.class, new SimpleMeterRegistry()),
            Map.entry(RateLimitPolicy.class, RateLimitPolicy.of(Limit.fixedWindow("w", 10, Duration.ofMinutes(1)))),
            Map.entry(CheckOptions.class, CheckOptions.defaults()),
            Map.entry(SecurityHeaders.class, SecurityHeaders.defaults()),
            Map.entry(TaskPolicy.class, TaskPolicy.ofDefaults()));

    /** The public methods of the builder that {@code factory} returns, except {@code build()}. */
    static List<Method> setters(Method factory) {
        List<Method> setters = new ArrayList<>();
        for (Method m : factory.getReturnType().getMethods()) {
            if (m.getDeclaringClass() == Object.class || Modifier.isStatic(m.getModifiers())
                    || m.getParameterCount() == 0 || m.isSynthetic() || m.isBridge()) {
                continue;
            }
            setters.add(m);
        }
        setters.sort(Comparator.comparing(BuilderArgumentsTest::signature));
        return setters;
    }

    static String signature(Method m) {
        StringBuilder s = new StringBuilder(m.getName()).append('(');
        for (int i = 0; i < m.getParameterCount(); i++) {
            s.append(i == 0 ? "" : ", ").append(m.getParameterTypes()[i].getSimpleName());
        }
        return s.append(')').toString();
    }

    /** Every public static {@code builder(...)} of a public class in a non-internal package of our modules. */
    static List<Method> builderFactories() throws IOException, URISyntaxException, ClassNotFoundException {
        Set<String> classNames = new TreeSet<>();
        for (Class<?> anchor : MODULES) {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            classNames.addAll(classesIn(location));
        }
        List<Method> factories = new ArrayList<>();
        for (String name : classNames) {
            if (name.contains(".internal.") || name.endsWith("module-info") || name.endsWith("package-info")) {
                continue;
            }
            Class<?> type = Class.forName(name, false, BuilderArgumentsTest.class.getClassLoader());
            if (!Modifier.isPublic(type.getModifiers())) {
                continue;
            }
            Method[] methods;
            try {
                methods = type.getDeclaredMethods();
            } catch (NoClassDefFoundError e) {
                // the CLIs need picocli, which only their own jars carry; they have no builder
                assertThat(name).as(name + " cannot be loaded here: " + e).matches("dev\\.resilience\\.\\w+\\.cli\\..*");
                continue;
            }
            for (Method m : methods) {
                if (m.getName().equals("builder") && Modifier.isStatic(m.getModifiers())
                        && Modifier.isPublic(m.getModifiers())) {
                    factories.add(m);
                }
            }
        }
        return factories;
    }

    static List<String> classesIn(Path location) throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                files.filter(f -> f.toString().endsWith(".class"))
                        .forEach(f -> names.add(className(location.relativize(f).toString())));
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                jar.stream().filter(e -> e.getName().endsWith(".class") && !e.getName().startsWith("META-INF"))
                        .forEach(e -> names.add(className(e.getName())));
            }
        }
        return names;
    }

    static String className(String file) {
        return file.substring(0, file.length() - ".class".length()).replace('/', '.').replace('\\', '.');
    }
}
