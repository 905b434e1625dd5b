package dev.resilience.queue.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.resilience.queue.DeadLetterFilter;
import dev.resilience.queue.QueueDb;
import dev.resilience.queue.Task;
import dev.resilience.queue.TaskPolicy;
import dev.resilience.queue.TaskQueue;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin endpoints over real HTTP against a real queue. */
class QueueAdminHandlerIT {

    static final String TOKEN = "admin-token-0123456789";
    @RegisterExtension
    static final QueueDb db = new QueueDb("admin");
    static TaskQueue queue;
    final HttpClient client = HttpClient.newHttpClient();
    HttpServer server;

    @BeforeAll
    static void createQueueWithDeadTasks() throws Exception {
        queue = TaskQueue.builder(db.dataSource).schema("admin").pollInterval(Duration.ofMillis(200))
                .handler("hook", task -> {
                    throw new IllegalStateException("receiver said \"no\"\n");
                }, TaskPolicy.builder().maxAttempts(1).build())
                .handler("mail", task -> {
                    throw new IllegalStateException("smtp down");
                }, TaskPolicy.builder().maxAttempts(1).build())
                .build();
        queue.start();
        queue.enqueue(Task.json("hook", "{\"order\":1}").build());
        queue.enqueue(Task.json("hook", "{\"order\":2}").build());
        queue.enqueue(Task.json("mail", "{\"to\":\"a\"}").build());
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.deadLetters().list(DeadLetterFilter.all(), 10).size() == 3);
        queue.close();
        db.execute("CREATE TABLE public.seed AS SELECT * FROM admin.tasks");
    }

    @BeforeEach
    void restoreTheThreeDeadTasks() throws Exception {
        db.execute("DELETE FROM admin.tasks", "INSERT INTO admin.tasks SELECT * FROM public.seed");
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String base(QueueAdminHandler handler) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/admin/queue", handler);
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/admin/queue";
    }

    private HttpResponse<String> send(String method, String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void disabledByDefaultAnswers404() throws Exception {
        String base = base(QueueAdminHandler.disabled(queue));
        assertThat(send("GET", base + "/dead", TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void withoutTheRightTokenAnswers401() throws Exception {
        String base = base(QueueAdminHandler.withToken(queue, TOKEN));
        assertThat(send("GET", base + "/dead", null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = send("POST", base + "/dead/discard?all=true", "wrong-token-0123456789");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(queue.deadLetters().list(DeadLetterFilter.all(), 10)).hasSize(3);
        assertThatThrownBy(() -> QueueAdminHandler.withToken(queue, "short")).hasMessage("token must be at least 16 characters, was 5");
    }

    @Test
    void listsDeadTasksWithTheirHistoryAsJson() throws Exception {
        String base = base(QueueAdminHandler.withToken(queue, TOKEN));
        HttpResponse<String> response = send("GET", base + "/dead?type=hook", TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.body()).contains("\"type\":\"hook\"").doesNotContain("\"type\":\"mail\"")
                .contains("\"payload\":\"{\\\"order\\\":1}\"")
                .contains("\"error\":\"java.lang.IllegalStateException\"")
                .contains("\"message\":\"receiver said \\\"no\\\"\\n\"");

        HttpResponse<String> stats = send("GET", base + "/stats", TOKEN);
        assertThat(stats.body()).startsWith("{\"ready\":0,\"dead\":3,");
    }

    @Test
    void reprocessAndDiscardNeedAFilterAndSayHowManyTheyChanged() throws Exception {
        String base = base(QueueAdminHandler.open(queue));
        HttpResponse<String> noFilter = send("POST", base + "/dead/discard", null);
        assertThat(noFilter.statusCode()).isEqualTo(400);
        assertThat(noFilter.body()).contains("all=true");
        assertThat(send("POST", base + "/dead/discard?id=abc", null).statusCode()).isEqualTo(400);

        HttpResponse<String> discarded = send("POST", base + "/dead/discard?type=mail", null);
        assertThat(discarded.body()).isEqualTo("{\"discarded\":1}");
        HttpResponse<String> reprocessed = send("POST", base + "/dead/reprocess?type=hook", null);
        assertThat(reprocessed.body()).isEqualTo("{\"reprocessed\":2}");
        assertThat(db.count("SELECT count(*) FROM admin.tasks WHERE state = 'ready'")).isEqualTo(2);
        assertThat(send("GET", base + "/nothing", null).statusCode()).isEqualTo(404);
    }
}
