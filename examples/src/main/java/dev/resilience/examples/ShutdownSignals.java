package dev.resilience.examples;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs the service's graceful shutdown once, to the end, whatever starts it.
 *
 * <ul>
 *   <li>SIGTERM, SIGINT (Ctrl-C) or SIGHUP: the sequence runs on a thread of its own that is not a
 *       daemon, so the JVM cannot begin to exit halfway (the signal and request threads are daemons:
 *       when the HTTP server stops, nothing else would keep it alive); then the JVM exits with status 0.</li>
 *   <li>Any other way out ({@code System.exit}, the last thread ending): the shutdown hook starts the
 *       same sequence if it is not running yet and waits for it to finish, so the JVM does not halt
 *       before the database is closed.</li>
 *   <li>A second signal while the drain is running skips the rest of it: new requests are refused at
 *       once, requests in flight still get {@code SHUTDOWN_GRACE}, everything closes in order, and
 *       the exit status is 128 + the signal's number (143 for SIGTERM, 130 for SIGINT). Later signals
 *       change nothing; {@code kill -9} stops at once.</li>
 * </ul>
 *
 * <p>Handling the signals (through {@code sun.misc.Signal}) rather than relying on the hook alone also
 * keeps the embedded PostgreSQL's own shutdown hook, which stops the server at once, from running
 * before the sequence has closed the pool: the hooks only run after the sequence, when the server is
 * already stopped. Thread-safe.
 */
final class ShutdownSignals {

    private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);
    private static final String[] SIGNALS = {"TERM", "INT", "HUP"};

    private final ExampleService service;
    private final AtomicBoolean begun = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile int exitStatus;

    private ShutdownSignals(ExampleService service) {
        this.service = service;
    }

    /** Installs the signal handlers and the shutdown hook for {@code service}. */
    static void install(ExampleService service) {
        ShutdownSignals signals = new ShutdownSignals(service);
        Runtime.getRuntime().addShutdownHook(new Thread(signals::runFromHook, "graceful-shutdown-hook"));
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), signals::onSignal);
            } catch (IllegalArgumentException e) {
                // e.g. SIGHUP under nohup: ignored by the JVM, so it cannot stop us either
                log.debug("Not handling SIG{} ({}); the shutdown hook still runs the sequence", name, e.getMessage());
            }
        }
    }

    private void onSignal(Signal signal) {
        if (!begun.get()) {
            log.info("SIG{} received: shutting down gracefully (send it again to skip the drain)", signal.getName());
        }
        if (begin(true)) {
            return;
        }
        if (service.skipDrain()) {
            exitStatus = 128 + signal.getNumber();
            log.warn("SIG{} received during the drain: skipping the rest of it; closing in order, exit status {}",
                    signal.getName(), exitStatus);
        } else {
            log.info("SIG{} received: already past the drain, finishing the shutdown (kill -9 stops at once)", signal.getName());
        }
    }

    private void runFromHook() {
        begin(false);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the sequence unless it already runs; returns whether this call started it. */
    private boolean begin(boolean exitWhenDone) {
        if (!begun.compareAndSet(false, true)) {
            return false;
        }
        Thread sequence = new Thread(() -> {
            try {
                service.close();
            } finally {
                done.countDown();
            }
            if (exitWhenDone) {
                // the hooks now find everything closed; ours returns at once
                System.exit(exitStatus);
            }
        }, "graceful-shutdown");
        sequence.setDaemon(false); // threads inherit daemon status from their creator, here a signal thread
        sequence.start();
        return true;
    }
}
