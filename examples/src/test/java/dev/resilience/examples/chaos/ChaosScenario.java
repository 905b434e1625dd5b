package dev.resilience.examples.chaos;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resilience.backup.BackupEncryption;
import dev.resilience.examples.ExampleProcess;
import dev.resilience.examples.chaos.ChaosObservations.BackupCheck;
import dev.resilience.examples.chaos.ChaosObservations.Call;
import dev.resilience.examples.chaos.ChaosObservations.Fault;
import dev.resilience.examples.chaos.ChaosObservations.FaultKind;
import dev.resilience.examples.chaos.ChaosObservations.Limit;
import dev.resilience.examples.chaos.ChaosObservations.Period;
import dev.resilience.examples.chaos.ChaosObservations.Purpose;
import dev.resilience.testkit.PostgresCluster;
import dev.resilience.testkit.RedisServerProcess;
import dev.resilience.testkit.TcpProxy;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chaos run of the example service: the runnable jar as a child process ({@code java -jar}, its
 * output captured) on a PostgreSQL cluster and a password-protected Redis the run starts itself, each
 * behind a {@link TcpProxy}; bounded load (orders written and read, logins right and wrong, two
 * clients far over their rate limit) while a schedule kills and restarts Redis, stops and starts
 * PostgreSQL, slows both through the proxies and kills {@code pg_dump} in the middle of a backup.
 * Afterwards it gathers what {@link ChaosInvariants} judges. One cycle of the {@link Schedule#FULL full}
 * schedule takes about 55 s, one of the {@link Schedule#SHORT short} one (in {@code mvn verify}) about 35 s.
 */
public final class ChaosScenario {

    /**
     * How long each fault of a cycle lasts and how long the run pauses after it, in seconds. Both
     * schedules inject every fault once per cycle; the short one, run inside {@code mvn verify}, holds
     * each for 3 s (still several requests and the limiters' and the pool's breakers meeting it) and
     * leaves the pool's breaker its 5 s probe delay after PostgreSQL comes back; the long mode keeps
     * the full one.
     */
    public record Schedule(int warmUp, int redisKilled, int afterRedisKilled, int postgresStopped, int afterPostgresStopped,
                           int postgresSlow, int afterPostgresSlow, int redisSlow, int afterRedisSlow, int afterKilledBackup,
                           int afterBackup, int coolDown) {
        /** The long mode's schedule (about 55 s a cycle). */
        public static final Schedule FULL = new Schedule(5, 6, 6, 6, 8, 6, 2, 5, 3, 3, 2, 3);
        /** The one cycle inside {@code mvn verify} (about 35 s). */
        public static final Schedule SHORT = new Schedule(3, 3, 4, 3, 6, 3, 1, 3, 2, 2, 1, 2);

        /** {@code full} or {@code short}, as the {@code chaos.schedule} system property says. */
        public static Schedule named(String name) {
            return switch (name) {
                case "full" -> FULL;
                case "short" -> SHORT;
                default -> throw new IllegalArgumentException("chaos.schedule must be full or short, was " + name);
            };
        }
    }

    /** {@code API_RATE_LIMIT} of the run: small, so the rate-limited clients meet it many times. */
    static final Limit API_LIMIT = new Limit(20, Duration.ofSeconds(10));
    /** {@code LOGIN_RATE_LIMIT} of the run. */
    static final Limit LOGIN_LIMIT = new Limit(5, Duration.ofSeconds(20));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path workDir;
    private final Schedule schedule;
    private final PrintStream progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final Map<String, String> logs = new LinkedHashMap<>();
    private final AtomicBoolean loadRunning = new AtomicBoolean(true);
    private URI base;
    private String adminToken;

    private ChaosScenario(Path workDir, Schedule schedule, PrintStream progress) {
        this.workDir = workDir;
        this.schedule = schedule;
        this.progress = progress;
    }

    private void say(String line) {
        progress.println(Instant.now() + " chaos: " + line);
    }

    /**
     * Runs {@code cycles} cycles of the fault schedule under load and gathers the observations.
     *
     * @param workDir a folder of the run's own: the service's log, backups and working folder go there
     */
    public static ChaosObservations run(Path workDir, int cycles, Schedule schedule, PrintStream progress) throws Exception {
        return new ChaosScenario(workDir, schedule, progress).run(cycles);
    }

    private ChaosObservations run(int cycles) throws Exception {
        String dbPassword = randomSecret();
        String redisPassword = randomSecret();
        adminToken = randomSecret();
        String encryptionKey = BackupEncryption.generateKey();
        secrets.put("database password", dbPassword);
        secrets.put("Redis password", redisPassword);
        secrets.put("admin token", adminToken);
        secrets.put("backup encryption key", encryptionKey);

        try (PostgresCluster postgres = PostgresCluster.start();
             RedisServerProcess redis = RedisServerProcess.start(List.of("requirepass " + redisPassword, "save \"\"", "appendonly no"));
             TcpProxy postgresProxy = TcpProxy.start(postgres.host(), postgres.port());
             TcpProxy redisProxy = TcpProxy.start("127.0.0.1", redis.port())) {
            try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl("postgres")); Statement sql = admin.createStatement()) {
                // over JDBC, not psql: a password on a command line would be in the process list
                sql.execute("CREATE ROLE chaos_app LOGIN PASSWORD '" + dbPassword + "'");
                sql.execute("CREATE DATABASE orders OWNER chaos_app");
            }
            Map<String, String> env = new LinkedHashMap<>();
            env.put("DATABASE_URL", "postgres://chaos_app:" + dbPassword + "@127.0.0.1:" + postgresProxy.port() + "/orders");
            env.put("REDIS_URI", "redis://:" + redisPassword + "@127.0.0.1:" + redisProxy.port());
            env.put("REDIS_KEY_PREFIX", "chaos:");
            env.put("ADMIN_TOKEN", adminToken);
            env.put("BACKUP_ENCRYPTION_KEY", encryptionKey);
            env.put("BACKUP_DIR", workDir.resolve("backups").toString());
            env.put("API_RATE_LIMIT", API_LIMIT.permits() + "/" + API_LIMIT.window().toSeconds() + "s");
            env.put("LOGIN_RATE_LIMIT", LOGIN_LIMIT.permits() + "/" + LOGIN_LIMIT.window().toSeconds() + "s");
            env.put("TRUSTED_PROXIES", "127.0.0.1");
            env.put("DB_ACQUIRE_TIMEOUT", "2s");
            env.put("DB_POOL_SIZE", "10");
            env.put("HTTP_THREADS", "32");
            env.put("SHUTDOWN_DRAIN", "0s");
            // the limiter's single failed calls are logged at DEBUG only; they count as outages of the bound
            try (ExampleProcess service = ExampleProcess.start(workDir, env,
                    "-Dorg.slf4j.simpleLogger.log.dev.resilience.ratelimit.RedisRateLimiter=debug")) {
                base = URI.create(service.awaitListening());
                say("service at " + base + " (pid " + service.pid() + "), " + cycles + " cycle(s)");
                ExecutorService load = startLoad();
                try {
                    pause(schedule.warmUp());
                    for (int cycle = 1; cycle <= cycles; cycle++) {
                        say("cycle " + cycle + " of " + cycles);
                        cycle(service, postgres, redis, postgresProxy, redisProxy);
                    }
                    pause(schedule.coolDown());
                } finally {
                    loadRunning.set(false);
                    load.shutdown();
                    load.awaitTermination(30, TimeUnit.SECONDS);
                    postgresProxy.heal();
                    redisProxy.heal();
                }
                Instant lastFault = faults.stream().map(Fault::end).max(Instant::compareTo).orElse(Instant.now());
                ChaosObservations.HealthCheck health = awaitHealth(lastFault);
                List<BackupCheck> backups = verifyBackups();
                Map<String, List<Long>> stored = storedOrders(postgres);
                service.sigterm();
                service.awaitExit(Duration.ofSeconds(60));
                String serviceLog = service.output();
                logs.put("service log", serviceLog);
                Files.writeString(workDir.resolve("service.log"), serviceLog, StandardCharsets.UTF_8);
                Path audit = workDir.resolve("backups").resolve("audit.jsonl");
                if (Files.isRegularFile(audit)) {
                    logs.put("backup audit log", Files.readString(audit, StandardCharsets.UTF_8));
                }
                return new ChaosObservations(List.copyOf(calls), List.copyOf(faults), Map.copyOf(acknowledged), stored, API_LIMIT,
                        LOGIN_LIMIT, fallbacks(serviceLog), failedRedisCalls(serviceLog), backups, health, logs, secrets);
            }
        }
    }

    /** One pass of the fault schedule, about 55 s ({@link Schedule#FULL}) or 35 s ({@link Schedule#SHORT}). */
    private void cycle(ExampleProcess service, PostgresCluster postgres, RedisServerProcess redis, TcpProxy postgresProxy,
                       TcpProxy redisProxy) throws Exception {
        fault(FaultKind.REDIS_KILLED, redis::kill, schedule.redisKilled(), redis::restart);
        pause(schedule.afterRedisKilled());
        fault(FaultKind.POSTGRES_STOPPED, postgres::stop, schedule.postgresStopped(), postgres::startAgain);
        pause(schedule.afterPostgresStopped());
        fault(FaultKind.POSTGRES_SLOW, () -> postgresProxy.setLatency(Duration.ofMillis(150)), schedule.postgresSlow(), postgresProxy::heal);
        pause(schedule.afterPostgresSlow());
        // over REDIS_TIMEOUT (50 ms): the limiters decide in memory
        fault(FaultKind.REDIS_SLOW, () -> redisProxy.setLatency(Duration.ofMillis(100)), schedule.redisSlow(), redisProxy::heal);
        pause(schedule.afterRedisSlow());
        killPgDumpDuringBackup(service, postgresProxy);
        pause(schedule.afterKilledBackup());
        // an operator's answer to a failed backup: take one again; the backups check is healthy once it is stored
        HttpResponse<String> again = admin("POST", "/admin/backups");
        say("backup after the killed one answered " + again.statusCode());
        pause(schedule.afterBackup());
    }

    private void fault(FaultKind kind, ThrowingRunnable inject, int seconds, ThrowingRunnable heal) throws Exception {
        Instant start = Instant.now();
        say(kind.description);
        inject.run();
        try {
            pause(seconds);
        } finally {
            heal.run();
            faults.add(new Fault(kind, start, Instant.now()));
            say("healed: " + kind.description);
        }
    }

    /**
     * Starts a backup through {@code POST /admin/backups}, finds the service's {@code pg_dump} child
     * (slowed by 50 ms per packet so it is still running), keeps its command line and environment for
     * the secrets check, and kills it with SIGKILL.
     */
    private void killPgDumpDuringBackup(ExampleProcess service, TcpProxy postgresProxy) throws Exception {
        Instant start = Instant.now();
        postgresProxy.setLatency(Duration.ofMillis(50));
        CompletableFuture<HttpResponse<String>> backup = http.sendAsync(adminRequest("POST", "/admin/backups"),
                HttpResponse.BodyHandlers.ofString());
        Optional<ProcessHandle> pgDump = Optional.empty();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (pgDump.isEmpty() && System.nanoTime() < deadline && !backup.isDone()) {
                pgDump = ProcessHandle.of(service.pid()).stream().flatMap(ProcessHandle::descendants)
                        .filter(ChaosScenario::isDumping).findFirst();
                if (pgDump.isEmpty()) {
                    Thread.sleep(20);
                }
            }
            if (pgDump.isPresent()) {
                long pid = pgDump.get().pid();
                logs.put("pg_dump command line", readProc(pid, "cmdline"));
                logs.put("pg_dump environment", readProc(pid, "environ"));
                pgDump.get().destroyForcibly();
                say("killed pg_dump (pid " + pid + ")");
            } else {
                say("found no pg_dump to kill (the backup " + (backup.isDone() ? "ended first" : "never started") + ")");
            }
        } finally {
            postgresProxy.heal();
        }
        HttpResponse<String> answer = backup.get(60, TimeUnit.SECONDS);
        say("the backup whose pg_dump was killed answered " + answer.statusCode() + " " + answer.body());
        if (pgDump.isPresent()) {
            faults.add(new Fault(FaultKind.PG_DUMP_KILLED, start, Instant.now()));
        }
    }

    /** A pg_dump taking a dump (not the version check the library runs first). */
    private static boolean isDumping(ProcessHandle process) {
        Optional<String> command = process.info().command();
        if (command.isEmpty() || !command.get().endsWith("/pg_dump")) {
            return false;
        }
        return !readProc(process.pid(), "cmdline").contains("--version");
    }

    /** {@code /proc/<pid>/<file>} with NULs as spaces, or empty when the process is gone. */
    private static String readProc(long pid, String file) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), file)), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private ExecutorService startLoad() {
        ExecutorService load = Executors.newFixedThreadPool(7);
        for (int writer = 1; writer <= 2; writer++) {
            int w = writer;
            load.submit(() -> loop(100, n -> writeOrder(w, n)));
        }
        load.submit(() -> loop(200, this::readOrders));
        for (int client = 1; client <= 2; client++) {
            String address = "10.9.0." + client;
            load.submit(() -> loop(50, n -> call(Purpose.RATE_LIMITED, address, "GET", "/api/quote?item=book", null)));
        }
        load.submit(() -> loop(1000, n -> call(Purpose.LOGIN, "10.8.0.1", "POST", "/auth/login",
                "{\"user\":\"demo\",\"password\":\"demo-password\"}")));
        load.submit(() -> loop(250, n -> call(Purpose.WRONG_PASSWORD, "10.7.0.1", "POST", "/auth/login",
                "{\"user\":\"demo\",\"password\":\"guess-" + n + "\"}")));
        return load;
    }

    private void loop(long pauseMillis, LoadStep step) {
        AtomicLong n = new AtomicLong();
        while (loadRunning.get()) {
            try {
                step.run(n.incrementAndGet());
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void writeOrder(int writer, long n) throws InterruptedException {
        String token = "chaos-" + writer + "-" + n;
        // a new address every request, so order traffic stays under the per-address limit
        HttpResponse<String> response = call(Purpose.ORDER_WRITE, "10.1." + writer + "." + (n % 250 + 1), "POST", "/api/orders",
                "{\"customer\":\"" + token + "\",\"item\":\"book\",\"quantity\":1}");
        if (response != null && response.statusCode() == 201) {
            try {
                acknowledged.put(token, JSON.readTree(response.body()).get("id").asLong());
            } catch (IOException e) {
                throw new IllegalStateException("201 without an order: " + response.body(), e);
            }
        }
    }

    private void readOrders(long n) throws InterruptedException {
        String address = "10.2.0." + (n % 250 + 1);
        Optional<Long> someId = acknowledged.values().stream().skip(n % Math.max(1, acknowledged.size())).findFirst();
        String path = n % 2 == 0 && someId.isPresent() ? "/api/orders/" + someId.get() : "/api/orders?limit=20";
        call(Purpose.ORDER_READ, address, "GET", path, null);
    }

    /** Sends one request as {@code address} (through X-Forwarded-For, the run trusts 127.0.0.1) and records it. */
    private HttpResponse<String> call(Purpose purpose, String address, String method, String path, String body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(15))
                .header("X-Forwarded-For", address)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        Instant sent = Instant.now();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            calls.add(new Call(purpose, address, response.statusCode(), response.headers().firstValue("Retry-After").isPresent(),
                    response.body(), sent, Instant.now()));
            return response;
        } catch (IOException e) {
            calls.add(new Call(purpose, address, -1, false, e.toString(), sent, Instant.now()));
            return null;
        }
    }

    private ChaosObservations.HealthCheck awaitHealth(Instant lastFault) throws Exception {
        AtomicLong status = new AtomicLong();
        String[] healthStatus = {"no answer"};
        try {
            await("/health to pass").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/health")).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString());
                status.set(response.statusCode());
                healthStatus[0] = JSON.readTree(response.body()).path("status").asText();
                return response.statusCode() == 200 && healthStatus[0].equals("pass");
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            say("/health did not pass within 60 s: " + admin("GET", "/health/detailed").body());
        }
        return new ChaosObservations.HealthCheck((int) status.get(), healthStatus[0], Duration.between(lastFault, Instant.now()));
    }

    private List<BackupCheck> verifyBackups() throws Exception {
        HttpResponse<String> listed = admin("GET", "/admin/backups");
        List<BackupCheck> checks = new ArrayList<>();
        for (JsonNode backup : JSON.readTree(listed.body()).path("backups")) {
            String id = backup.path("id").asText();
            HttpResponse<String> verified = admin("POST", "/admin/backups/" + id + "/verify");
            String status = verified.statusCode() == 200 ? JSON.readTree(verified.body()).path("verification").path("status").asText()
                    : verified.body();
            checks.add(new BackupCheck(id, verified.statusCode(), status));
        }
        return checks;
    }

    /** The run's orders as the database holds them, read directly (not through the proxy). */
    private static Map<String, List<Long>> storedOrders(PostgresCluster postgres) throws Exception {
        Map<String, List<Long>> stored = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("orders")); Statement sql = c.createStatement();
             ResultSet rows = sql.executeQuery("SELECT customer, id FROM orders WHERE customer LIKE 'chaos-%' ORDER BY id")) {
            while (rows.next()) {
                stored.computeIfAbsent(rows.getString(1), t -> new ArrayList<>()).add(rows.getLong(2));
            }
        }
        return stored;
    }

    /**
     * The periods the API limiter decided without Redis: from its WARN line on entering the fallback to
     * its INFO line on leaving it, and the single calls that failed or timed out before the breaker
     * opened (its DEBUG line, enabled for the run: such a request is decided by the fallback too, see the
     * ratelimit README). Periods less than a second apart are one outage.
     */
    static List<Period> fallbacks(String serviceLog) {
        List<Period> periods = new ArrayList<>();
        Instant since = null;
        for (String line : serviceLog.split("\n")) {
            if (line.contains("Rate limiter api cannot use Redis")) {
                since = since != null ? since : timestamp(line);
            } else if (line.contains("Rate limiter api is back on Redis") && since != null) {
                periods.add(new Period(since, timestamp(line)));
                since = null;
            } else if (line.contains("Rate limiter api: Redis call failed")) {
                Instant at = timestamp(line);
                periods.add(new Period(at, at));
            }
        }
        if (since != null) {
            periods.add(new Period(since, Instant.now()));
        }
        periods.sort(java.util.Comparator.comparing(Period::start));
        List<Period> outages = new ArrayList<>();
        for (Period p : periods) {
            Period last = outages.isEmpty() ? null : outages.get(outages.size() - 1);
            if (last != null && !p.start().isAfter(last.end().plusSeconds(1))) {
                outages.set(outages.size() - 1, new Period(last.start(), p.end().isAfter(last.end()) ? p.end() : last.end()));
            } else {
                outages.add(p);
            }
        }
        return outages;
    }

    /** When each call of the API limiter to Redis failed or timed out (its DEBUG lines). */
    static List<Instant> failedRedisCalls(String serviceLog) {
        return serviceLog.lines().filter(line -> line.contains("Rate limiter api: Redis call failed")).map(ChaosScenario::timestamp).toList();
    }

    private static Instant timestamp(String line) {
        return OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant();
    }

    private HttpResponse<String> admin(String method, String path) throws IOException, InterruptedException {
        return http.send(adminRequest(method, path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest adminRequest(String method, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + adminToken)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
    }

    private static void pause(int seconds) throws InterruptedException {
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    }

    private static String randomSecret() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return "s3" + HexFormat.of().formatHex(bytes);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface LoadStep {
        void run(long n) throws InterruptedException;
    }
}
