package dev.resilience.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The published Javadoc leaves internals out (issue 16): every published module's javadoc jar, as the
 * reactor built it before this module, exists and documents no {@code internal} package. Runs in
 * {@code mvn verify} (an IT, after every module's package phase).
 */
class JavadocJarsIT {

    static final Path ROOT = Path.of(System.getProperty("resilience.reactor.root", "../.."));

    @ParameterizedTest
    @ValueSource(strings = {"resilience-core", "resilience-testkit", "resilience-pool", "resilience-redis",
            "resilience-ratelimit", "resilience-cache", "resilience-health", "resilience-backup", "resilience-queue",
            "resilience-spring-boot-starter"})
    void theJavadocJarIsBuiltAndHoldsNoInternalPackage(String module) throws IOException {
        Path jar = javadocJar(module);
        List<String> packages;
        List<String> internalEntries = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry list = file.getJarEntry("element-list");
            assertThat(list).as("%s has no element-list: not a javadoc jar", jar).isNotNull();
            try (InputStream in = file.getInputStream(list)) {
                packages = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                        .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("module:"))
                        .collect(Collectors.toList());
            }
            file.stream().map(JarEntry::getName).filter(name -> name.contains("/internal/"))
                    .forEach(internalEntries::add);
        }
        assertThat(packages).as("the packages documented in %s", jar).isNotEmpty()
                .noneMatch(name -> name.equals("internal") || name.endsWith(".internal") || name.contains(".internal."));
        assertThat(internalEntries).as("pages of internal packages in %s", jar).isEmpty();
    }

    private static Path javadocJar(String module) throws IOException {
        Path target = ROOT.resolve(module).resolve("target");
        List<Path> jars;
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            jars = files.filter(p -> p.getFileName().toString().endsWith("-javadoc.jar")).collect(Collectors.toList());
        }
        assertThat(jars).as("%s: exactly one *-javadoc.jar (build it with mvn verify or package)", target.toAbsolutePath().normalize())
                .hasSize(1);
        return jars.get(0);
    }
}
