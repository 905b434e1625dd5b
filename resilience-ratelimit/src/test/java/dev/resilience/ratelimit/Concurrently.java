package dev.resilience.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Many threads asking limiters for one key at once, released together by a latch. */
final class Concurrently {

    private Concurrently() {
    }

    /** How many of {@code threads x attemptsEach} requests were admitted; thread t uses limiters[t % size]. */
    static int admitted(List<? extends RateLimiter> limiters, String key, int threads, int attemptsEach) throws Exception {
        return count(threads, t -> {
            RateLimiter limiter = limiters.get(t % limiters.size());
            int admitted = 0;
            for (int i = 0; i < attemptsEach; i++) {
                if (limiter.tryAcquirePermission(key)) {
                    admitted++;
                }
            }
            return admitted;
        });
    }

    /**
     * How many of {@code guesses} concurrent wrong passwords reached the password check; guess g uses
     * protections[g % size]. The password checks overlap: none ends before every guess was decided.
     */
    static int passwordChecks(List<LoginProtection> protections, String user, String address, int guesses) throws Exception {
        return passwordChecks(protections, List.of(user), List.of(address), guesses);
    }

    /** Like {@link #passwordChecks(List, String, String, int)}, guess g as users[g % size] from addresses[g % size]. */
    static int passwordChecks(List<LoginProtection> protections, List<String> users, List<String> addresses, int guesses) throws Exception {
        CountDownLatch allDecided = new CountDownLatch(guesses);
        return count(guesses, g -> {
            LoginAttempt attempt = protections.get(g % protections.size()).attempt(users.get(g % users.size()),
                    addresses.get(g % addresses.size()));
            allDecided.countDown();
            if (attempt.blocked()) {
                return 0;
            }
            allDecided.await(); // the password check: slow, and always wrong
            attempt.failed();
            return 1;
        });
    }

    /** Runs {@code task} on {@code threads} threads released together; the sum of what they answered. */
    private static int count(int threads, Task task) throws Exception {
        AtomicInteger total = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    total.addAndGet(task.run(thread));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return total.get();
    }

    @FunctionalInterface
    private interface Task {
        int run(int thread) throws Exception;
    }
}
