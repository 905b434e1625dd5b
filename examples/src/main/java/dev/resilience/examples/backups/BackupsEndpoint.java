package dev.resilience.examples.backups;

import com.sun.net.httpserver.HttpExchange;
import dev.resilience.backup.BackupException;
import dev.resilience.backup.BackupManifest;
import dev.resilience.examples.http.HttpError;
import dev.resilience.examples.http.Json;
import dev.resilience.examples.http.JsonEndpoint;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /admin/backups} (behind the admin token): {@code GET} lists the backups with their checksum
 * and latest verification, {@code POST} takes one now and verifies it (201 with its manifest, 409
 * when one is already running), {@code POST /admin/backups/{id}/verify} verifies one again. Answers
 * 503 saying why when backups are off. Thread-safe.
 */
public final class BackupsEndpoint implements JsonEndpoint {

    /** The path this endpoint serves. */
    public static final String PATH = "/admin/backups";

    private final Backups backups;

    /** Serves {@code backups}. */
    public BackupsEndpoint(Backups backups) {
        this.backups = backups;
    }

    @Override
    public void handle(HttpExchange exchange) throws Exception {
        String rest = exchange.getRequestURI().getPath().substring(PATH.length());
        String method = exchange.getRequestMethod();
        try {
            if (rest.isEmpty() || rest.equals("/")) {
                switch (method) {
                    case "GET" -> Json.send(exchange, 200, Map.of("backups", backups.list()));
                    case "POST" -> backupNow(exchange);
                    default -> throw HttpError.methodNotAllowed("GET, POST");
                }
            } else if (rest.endsWith("/verify")) {
                if (!method.equals("POST")) {
                    throw HttpError.methodNotAllowed("POST");
                }
                String id = rest.substring(1, rest.length() - "/verify".length());
                if (backups.list().stream().noneMatch(m -> m.id().equals(id))) {
                    throw HttpError.notFound("no backup '" + id + "'; GET " + PATH + " lists them");
                }
                Json.send(exchange, 200, backups.verify(id));
            } else {
                throw HttpError.notFound("use " + PATH + " or " + PATH + "/{id}/verify");
            }
        } catch (Backups.BackupsOffException e) {
            throw HttpError.of(503, e.getMessage(), Map.of());
        } catch (BackupException e) {
            throw HttpError.of(500, e.getMessage(), Map.of());
        }
    }

    private void backupNow(HttpExchange exchange) throws Exception {
        Optional<BackupManifest> taken = backups.backupNow();
        if (taken.isEmpty()) {
            throw HttpError.of(409, "a backup is already running; list " + PATH + " in a moment", Map.of());
        }
        exchange.getResponseHeaders().set("Location", PATH + "/" + taken.get().id());
        Json.send(exchange, 201, taken.get());
    }
}
