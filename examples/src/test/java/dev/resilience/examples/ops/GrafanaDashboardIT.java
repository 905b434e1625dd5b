package dev.resilience.examples.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.health.AlertRules;
import dev.resilience.testkit.PrometheusTools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Grafana dashboard reads only what the library exports: every PromQL query's metric
 * names and label names (matchers, {@code by (...)}, legends, template variables) are checked against
 * a real scrape of every module's binders ({@link LibraryMetricsScrape}); every library metric has a
 * panel; Prometheus's own parser ({@code promtool}) accepts every query. The shipped alert rules
 * pass the same check.
 */
class GrafanaDashboardIT {

    static final String DASHBOARD = "/dev/resilience/health/grafana-dashboard.json";
    /** Labels Prometheus adds to every scraped series. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");
    private static final Set<String> KEYWORDS = Set.of("sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk",
            "bottomk", "quantile", "count_values", "group", "by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan");
    private static final Pattern MATCHERS = Pattern.compile("\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)\\s*\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\()?");
    private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");

    private static final Pattern ALERT_RULE = Pattern.compile("- alert: (\\w+)\\s+expr: (.+)");

    private static Map<String, Set<String>> exported;

    @TempDir
    Path dir;

    @BeforeAll
    static void scrape() throws Exception {
        exported = LibraryMetricsScrape.labelsByMetric(LibraryMetricsScrape.scrape());
    }

    /** A query of the dashboard: where it is, its PromQL, its legend. */
    record Query(String panel, String expr, String legend) {
    }

    /** Metric and label names a query reads. */
    record Names(Set<String> metrics, Set<String> labels) {
    }

    static List<Query> queries(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        collect(dashboard.path("panels"), queries);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                Matcher values = LABEL_VALUES.matcher(variable.path("definition").asText());
                assertThat(values.matches()).as("variable " + variable.path("name") + " is label_values(metric, label)").isTrue();
                queries.add(new Query("variable " + variable.path("name").asText(), values.group(1), "{{" + values.group(2) + "}}"));
            }
        }
        return queries;
    }

    private static void collect(JsonNode panels, List<Query> queries) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(panel.path("title").asText(), target.path("expr").asText(),
                        target.path("legendFormat").asText("")));
            }
            collect(panel.path("panels"), queries);
        }
    }

    /** The metric and label names of a PromQL expression with Grafana's variables. */
    static Names names(Query query) {
        Set<String> metrics = new TreeSet<>();
        Set<String> labels = new TreeSet<>();
        String expr = grafanaVariablesReplaced(query.expr());
        Matcher matchers = MATCHERS.matcher(expr);
        while (matchers.find()) {
            Matcher matcher = MATCHER.matcher(matchers.group(1));
            while (matcher.find()) {
                labels.add(matcher.group(1));
            }
        }
        expr = matchers.replaceAll(" ");
        Matcher grouping = GROUPING.matcher(expr);
        while (grouping.find()) {
            for (String label : grouping.group(1).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.trim());
                }
            }
        }
        expr = grouping.replaceAll(" ").replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ").replaceAll("\\[[^]]*]", " ");
        Matcher identifier = IDENTIFIER.matcher(expr);
        while (identifier.find()) {
            if (identifier.group(2) == null && !KEYWORDS.contains(identifier.group(1))) {
                metrics.add(identifier.group(1));
            }
        }
        Matcher legend = LEGEND_LABEL.matcher(query.legend());
        while (legend.find()) {
            labels.add(legend.group(1));
        }
        return new Names(metrics, labels);
    }

    private static String grafanaVariablesReplaced(String expr) {
        return expr.replace("$__rate_interval", "5m").replace("$__range", "1d").replace("$__interval", "1m")
                .replaceAll("\\$\\{?\\w+}?", ".*");
    }

    /** What is wrong with a query against the exported metrics, or nothing. */
    static List<String> problems(Query query, Map<String, Set<String>> exported) {
        Names names = names(query);
        List<String> problems = new ArrayList<>();
        if (names.metrics().isEmpty()) {
            problems.add(query.panel() + ": no metric in " + query.expr());
        }
        Set<String> labels = new HashSet<>(TARGET_LABELS);
        for (String metric : names.metrics()) {
            if (!exported.containsKey(metric)) {
                problems.add(query.panel() + ": metric " + metric + " is not exported");
            } else {
                labels.addAll(exported.get(metric));
            }
        }
        for (String label : names.labels()) {
            if (!labels.contains(label)) {
                problems.add(query.panel() + ": label " + label + " is not on " + names.metrics());
            }
        }
        return problems;
    }

    static JsonNode dashboard() throws IOException {
        try (InputStream in = GrafanaDashboardIT.class.getResourceAsStream(DASHBOARD)) {
            assertThat(in).as("classpath resource " + DASHBOARD).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void everyQueryReadsOnlyMetricsAndLabelsTheLibraryExports() throws IOException {
        List<Query> queries = queries(dashboard());

        assertThat(queries).hasSizeGreaterThan(40);
        assertThat(queries.stream().flatMap(q -> problems(q, exported).stream()).toList()).isEmpty();
    }

    @Test
    void theCheckCatchesAMisspelledMetricAndALabelTheMetricDoesNotHave() {
        Query wrongMetric = new Query("p", "rate(resilience_circuitbreaker_call_total[5m])", "");
        Query wrongLabel = new Query("p", "sum by (breaker) (resilience_circuitbreaker_state{state=\"open\"})", "");
        Query wrongLegend = new Query("p", "health_check_status", "{{name}}");

        assertThat(problems(wrongMetric, exported)).containsExactly("p: metric resilience_circuitbreaker_call_total is not exported");
        assertThat(problems(wrongLabel, exported)).containsExactly("p: label breaker is not on [resilience_circuitbreaker_state]");
        assertThat(problems(wrongLegend, exported)).containsExactly("p: label name is not on [health_check_status]");
    }

    @Test
    void everyShippedAlertRuleReadsOnlyMetricsAndLabelsTheLibraryExports() throws IOException {
        List<Query> rules = new ArrayList<>();
        for (String file : List.of(AlertRules.PROMETHEUS_RULES, "/dev/resilience/health/prometheus-module-alerts.yml")) {
            try (InputStream in = GrafanaDashboardIT.class.getResourceAsStream(file)) {
                Matcher rule = ALERT_RULE.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                while (rule.find()) {
                    rules.add(new Query(file + " " + rule.group(1), rule.group(2), ""));
                }
            }
        }

        assertThat(rules).hasSize(14);
        assertThat(rules.stream().flatMap(q -> problems(q, exported).stream()).toList()).isEmpty();
    }

    @Test
    void everyMetricOfTheLibraryHasAPanel() throws IOException {
        Set<String> onDashboard = queries(dashboard()).stream().flatMap(q -> names(q).metrics().stream())
                .map(GrafanaDashboardIT::family).collect(Collectors.toSet());

        Set<String> library = exported.keySet().stream()
                .filter(name -> name.matches("(resilience|health|http_server|hikaricp|backup|restore)_.*"))
                .map(GrafanaDashboardIT::family).collect(Collectors.toCollection(TreeSet::new));
        library.removeAll(onDashboard);

        assertThat(library).as("library metrics no panel shows").isEmpty();
    }

    @Test
    void hasARowPerModule() throws IOException {
        List<String> rows = new ArrayList<>();
        for (JsonNode panel : dashboard().path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                rows.add(panel.path("title").asText());
            }
        }

        assertThat(rows).containsExactly("Health", "HTTP requests", "Circuit breakers", "Retries", "Bulkheads",
                "Connection pool", "Rate limits", "Backups", "Queue");
    }

    @Test
    void prometheusItselfParsesEveryQuery() throws IOException {
        Map<String, String> records = new LinkedHashMap<>();
        List<Query> queries = queries(dashboard());
        for (int i = 0; i < queries.size(); i++) {
            records.put("dashboard:query_" + i, grafanaVariablesReplaced(queries.get(i).expr()));
        }
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        records.forEach((name, expr) -> rules.append("      - record: ").append(name).append("\n        expr: '")
                .append(expr.replace("'", "''")).append("'\n"));
        Files.writeString(dir.resolve("dashboard-rules.yml"), rules);

        PrometheusTools.Result result = PrometheusTools.run(dir,
                List.of(PrometheusTools.binary("promtool").toString(), "check", "rules", "dashboard-rules.yml"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    /** A timer's or summary's series share one panel: {@code x_seconds_count}, {@code _sum}, {@code _max} are {@code x_seconds}. */
    private static String family(String metric) {
        return metric.replaceFirst("_(count|sum|max|bucket)$", "");
    }
}
