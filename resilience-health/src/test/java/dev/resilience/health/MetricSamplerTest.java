package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricSamplerTest {

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Counter orders = meters.counter("orders.created", "region", "eu");

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> samplesOf(MetricSampler sampler, String name) {
        return (List<Map<String, Object>>) sampler.samples(name).get(0).get("samples");
    }

    @Test
    void samplesEveryIntervalOnceStarted() {
        MetricSampler sampler = MetricSampler.builder(meters).clock(clock).scheduler(scheduler)
                .interval(Duration.ofSeconds(10)).build();

        sampler.start();
        orders.increment();
        scheduler.advance(Duration.ofSeconds(20));

        List<Map<String, Object>> samples = samplesOf(sampler, "orders.created");
        assertThat(samples).hasSize(3);
        assertThat((double[]) samples.get(2).get("values")).containsExactly(1.0);
        assertThat(samples.get(2).get("time")).isEqualTo(clock.now().toString());
        sampler.close();
    }

    @Test
    void keepsOnlyTheLastCapacitySamplesOldestFirst() {
        MetricSampler sampler = MetricSampler.builder(meters).clock(clock).capacity(3).build();

        for (int i = 0; i < 5; i++) {
            orders.increment();
            sampler.sample();
        }

        List<Map<String, Object>> samples = samplesOf(sampler, "orders.created");
        assertThat(samples).extracting(s -> ((double[]) s.get("values"))[0]).containsExactly(3.0, 4.0, 5.0);
    }

    @Test
    void reportsTagsAndStatisticsPerSeries() {
        MetricSampler sampler = MetricSampler.builder(meters).clock(clock).build();

        sampler.sample();

        Map<String, Object> series = sampler.samples("orders.created").get(0);
        assertThat(series.get("tags")).isEqualTo(Map.of("region", "eu"));
        assertThat(series.get("statistics")).isEqualTo(List.of("count"));
    }

    @Test
    void forgetsMetersRemovedFromTheRegistry() {
        MetricSampler sampler = MetricSampler.builder(meters).clock(clock).build();
        sampler.sample();

        meters.remove(orders);
        sampler.sample();

        assertThat(sampler.samples("orders.created")).isEmpty();
    }

    @Test
    void samplesOnlyWhatTheFilterAccepts() {
        meters.counter("other.meter");
        MetricSampler sampler = MetricSampler.builder(meters).clock(clock)
                .filter(id -> id.getName().startsWith("orders")).build();

        sampler.sample();

        assertThat(sampler.samples("other.meter")).isEmpty();
        assertThat(sampler.samples("orders.created")).hasSize(1);
    }
}
