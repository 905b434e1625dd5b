package dev.resilience.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.resilience.core.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link LoginStore} in this process: the store of an in-memory {@link LoginProtection}, and the one a
 * Redis-backed protection falls back to (holding the blocks Redis reported). One lock makes each
 * operation atomic over its subjects; nothing inside it blocks, and login traffic is light. At most
 * {@code maximumSubjects} subjects are kept (Caffeine), each until its state no longer matters.
 * Thread-safe.
 */
final class InMemoryLoginStore implements LoginStore {

    private final LoginRules rules;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Cache<String, Subject> subjects;

    InMemoryLoginStore(LoginRules rules, long maximumSubjects, Clock clock) {
        this.rules = rules;
        this.clock = clock;
        this.subjects = Caffeine.newBuilder()
                .maximumSize(maximumSubjects)
                .expireAfterAccess(Duration.ofNanos(rules.memoryNanos()))
                .ticker(clock::nanoTime)
                .build();
    }

    @Override
    public LoginState reserve(String[] keys, String token) {
        lock.lock();
        try {
            long now = clock.nanoTime();
            Subject[] subject = subjects(keys, now);
            long retry = 0;
            for (Subject s : subject) {
                retry = Math.max(retry, s.blockLeft(now));
            }
            for (int i = 0; retry == 0 && i < subject.length; i++) {
                if (subject[i].failures.size() >= rules.maxFailures()[i]) {
                    // no block yet but every attempt is taken (reservations in flight): until the oldest leaves the window
                    retry = Math.max(1, subject[i].failures.peekFirst().at + rules.windowNanos() - now);
                }
            }
            if (retry > 0) {
                return new LoginState(true, retry, 0, blockLeft(subject, now));
            }
            for (Subject s : subject) {
                s.failures.addLast(new Failure(token, now));
            }
            return state(subject, now);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public LoginState fail(String[] keys, String token) {
        lock.lock();
        try {
            long now = clock.nanoTime();
            Subject[] subject = subjects(keys, now);
            for (int i = 0; i < subject.length; i++) {
                Subject s = subject[i];
                if (!s.holds(token)) {
                    s.failures.addLast(new Failure(token, now)); // its reservation was taken elsewhere or cleared by a block
                }
                if (s.failures.size() >= rules.maxFailures()[i] && s.blockLeft(now) == 0) {
                    s.strikes = s.strikes > 0 && now - s.lastBlock < LoginRules.STRIKE_MEMORY_NANOS ? s.strikes + 1 : 1;
                    s.lastBlock = now;
                    s.blocked = true;
                    s.blockedUntil = now + rules.blockNanos(s.strikes);
                    s.failures.clear(); // the block stands for them: after it, a full set of attempts again
                }
            }
            return state(subject, now);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void succeed(String[] keys, String token) {
        lock.lock();
        try {
            long now = clock.nanoTime();
            Subject[] subject = subjects(keys, now);
            subject[0].failures.clear();
            subject[0].blocked = false;
            for (int i = 1; i < subject.length; i++) {
                subject[i].failures.removeIf(f -> f.token.equals(token));
            }
        } finally {
            lock.unlock();
        }
    }

    /** The longest block of these subjects held here, or 0. */
    long blockLeft(String[] keys) {
        lock.lock();
        try {
            long now = clock.nanoTime();
            long left = 0;
            for (String key : keys) {
                Subject s = subjects.getIfPresent(key);
                left = s == null ? left : Math.max(left, s.blockLeft(now));
            }
            return left;
        } finally {
            lock.unlock();
        }
    }

    /** Holds the blocks another store reported, so they outlast that store's outage. */
    void holdBlocks(String[] keys, long[] blockLeftNanos) {
        boolean any = false;
        for (long left : blockLeftNanos) {
            any |= left > 0;
        }
        if (!any) {
            return;
        }
        lock.lock();
        try {
            long now = clock.nanoTime();
            for (int i = 0; i < keys.length; i++) {
                if (blockLeftNanos[i] > 0) {
                    Subject s = subjects.get(keys[i], k -> new Subject());
                    if (s.blockLeft(now) < blockLeftNanos[i]) {
                        s.blocked = true;
                        s.blockedUntil = now + blockLeftNanos[i];
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private Subject[] subjects(String[] keys, long now) {
        Subject[] subject = new Subject[keys.length];
        for (int i = 0; i < keys.length; i++) {
            subject[i] = subjects.get(keys[i], k -> new Subject());
            subject[i].forgetOlderThan(now - rules.windowNanos());
        }
        return subject;
    }

    private LoginState state(Subject[] subject, long now) {
        long retry = 0;
        long remaining = Long.MAX_VALUE;
        for (int i = 0; i < subject.length; i++) {
            retry = Math.max(retry, subject[i].blockLeft(now));
            remaining = Math.min(remaining, rules.maxFailures()[i] - subject[i].failures.size());
        }
        return new LoginState(retry > 0, retry, retry > 0 ? 0 : Math.max(0, remaining), blockLeft(subject, now));
    }

    private static long[] blockLeft(Subject[] subject, long now) {
        long[] left = new long[subject.length];
        for (int i = 0; i < subject.length; i++) {
            left[i] = subject[i].blockLeft(now);
        }
        return left;
    }

    private record Failure(String token, long at) {
    }

    /** One subject's failures in the window (oldest first, reservations included) and block. Guarded by the lock. */
    private static final class Subject {
        final ArrayDeque<Failure> failures = new ArrayDeque<>();
        boolean blocked;
        long blockedUntil;
        int strikes;
        long lastBlock;

        long blockLeft(long now) {
            return blocked ? Math.max(0, blockedUntil - now) : 0;
        }

        boolean holds(String token) {
            for (Failure f : failures) {
                if (f.token.equals(token)) {
                    return true;
                }
            }
            return false;
        }

        void forgetOlderThan(long start) {
            while (!failures.isEmpty() && failures.peekFirst().at - start <= 0) {
                failures.pollFirst();
            }
        }
    }
}
