package dev.resilience.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.redis.RedisConnection;
import dev.resilience.testkit.RedisClusterProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tag invalidation on a Redis Cluster of 3 masters (of the test's own): the tagged keys spread over every
 * master; invalidating the tag removes all of them (the delete is split by slot) and no other key.
 */
class CacheClusterIT {

    @Test
    void invalidatingATagRemovesItsKeysOnEveryMasterOfACluster() {
        try (RedisClusterProcess cluster = RedisClusterProcess.start(3);
             RedisConnection<String, byte[]> connection = RedisCache.connect(RedisConnection.builder()
                     .clusterUris(cluster.seedUri()).connectTimeout(Duration.ofSeconds(5)).commandTimeout(Duration.ofSeconds(2)));
             RedisCache<String> writer = RedisCache.builder("catalog", CacheCodec.strings()).redis(connection).build();
             RedisCache<String> reader = RedisCache.builder("catalog", CacheCodec.strings()).redis(connection).build()) {
            for (int i = 0; i < 60; i++) {
                writer.put("product:" + i, "p" + i, i % 2 == 0 ? "sale" : "regular");
            }
            assertThat(keysPerMaster(cluster)).allMatch(count -> count > 10); // the 60 keys spread over all masters

            int removed = reader.invalidateAll("sale");

            assertThat(removed).isEqualTo(30);
            for (int i = 0; i < 60; i++) {
                assertThat(reader.getIfPresent("product:" + i)).as("product:" + i)
                        .isEqualTo(i % 2 == 0 ? java.util.Optional.empty() : java.util.Optional.of("p" + i));
            }
            assertThat(writer.stats().writesSkipped()).isZero();
            assertThat(reader.invalidateAll("sale")).isZero();
        }
    }

    private static List<Long> keysPerMaster(RedisClusterProcess cluster) {
        return cluster.masterPorts().stream().map(cluster::keyCount).toList();
    }
}
