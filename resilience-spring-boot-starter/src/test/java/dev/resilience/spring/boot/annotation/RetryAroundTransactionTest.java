package dev.resilience.spring.boot.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.boot.ResilienceCoreAutoConfiguration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.SimpleTransactionStatus;

/** On a @Transactional bean the retry is outside the transaction: each attempt is a transaction of its own. */
class RetryAroundTransactionTest {

    static final class CountingTransactionManager implements PlatformTransactionManager {
        final AtomicInteger begun = new AtomicInteger();
        final AtomicInteger committed = new AtomicInteger();
        final AtomicInteger rolledBack = new AtomicInteger();

        @Override
        public TransactionStatus getTransaction(TransactionDefinition definition) {
            begun.incrementAndGet();
            return new SimpleTransactionStatus();
        }

        @Override
        public void commit(TransactionStatus status) {
            committed.incrementAndGet();
        }

        @Override
        public void rollback(TransactionStatus status) {
            rolledBack.incrementAndGet();
        }
    }

    public static class Orders {
        private final AtomicInteger calls = new AtomicInteger();

        @Transactional
        @Retry(name = "orders")
        public String place() {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("serialization failure " + calls.get());
            }
            return "placed";
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    static class Transactions {
        @Bean
        CountingTransactionManager transactionManager() {
            return new CountingTransactionManager();
        }

        @Bean
        Orders orders() {
            return new Orders();
        }
    }

    @Test
    void eachRetryAttemptRunsInANewTransaction() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceCoreAutoConfiguration.class,
                        ResilienceAnnotationsAutoConfiguration.class))
                .withUserConfiguration(Transactions.class)
                .withPropertyValues("resilience.retry.instances.orders.max-attempts=3", "resilience.retry.instances.orders.backoff=none")
                .run(context -> {
                    assertThat(context.getBean(Orders.class).place()).isEqualTo("placed");
                    CountingTransactionManager transactions = context.getBean(CountingTransactionManager.class);
                    assertThat(transactions.begun).hasValue(3);
                    assertThat(transactions.rolledBack).hasValue(2);
                    assertThat(transactions.committed).hasValue(1);
                });
    }
}
