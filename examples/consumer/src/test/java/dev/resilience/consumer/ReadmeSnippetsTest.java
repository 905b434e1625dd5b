package dev.resilience.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * This project is only worth something while it says what the READMEs say: every dependency of every
 * README's XML snippets is declared here as the snippet declares it, the BOM is imported as the root
 * README shows, and every Java sample of the root README is compiled in {@link ReadmeSnippets} (or, for
 * the testkit, in the tests).
 */
class ReadmeSnippetsTest {

    static final Path ROOT = Path.of("../..");
    static final Pattern XML_BLOCK = Pattern.compile("```xml\n(.*?)```", Pattern.DOTALL);
    static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);
    static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);

    @Test
    void everyReadmeDependencySnippetIsDeclaredHereAsWritten() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        List<String> declared = dependencies(pom);
        List<String> snippets = new ArrayList<>();
        for (Path readme : readmes()) {
            Matcher xml = XML_BLOCK.matcher(Files.readString(readme));
            while (xml.find()) {
                dependencies(xml.group(1)).forEach(d -> snippets.add(readme + ": " + d));
            }
        }

        assertThat(snippets).as("dependency snippets found").hasSizeGreaterThan(5);
        for (String snippet : snippets) {
            assertThat(declared).as(snippet).contains(snippet.substring(snippet.indexOf(": ") + 2));
        }
    }

    @Test
    void everyJavaSampleOfTheRootReadmeIsCompiledHere() throws IOException {
        String compiled = normalize(Files.readString(Path.of("src/main/java/dev/resilience/consumer/ReadmeSnippets.java"))
                + Files.readString(Path.of("src/test/java/dev/resilience/consumer/ReadmeTestkitSnippet.java")));
        Matcher java = JAVA_BLOCK.matcher(Files.readString(ROOT.resolve("README.md")));
        int samples = 0;
        while (java.find()) {
            if (java.group(1).startsWith("@Configuration")) {
                continue; // the Spring sample needs Spring, which is not ours to manage
            }
            samples++;
            assertThat(compiled).as("README sample:%n%s", java.group(1)).contains(normalize(java.group(1)));
        }
        assertThat(samples).isEqualTo(8);
    }

    @Test
    void theBomGivesTheMicrometerTheModulesAreBuiltWith() throws IOException {
        Matcher parent = Pattern.compile("<micrometer.version>(.*?)</micrometer.version>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(parent.find()).isTrue();

        assertThat(bundleVersion(MeterRegistry.class)).isEqualTo(parent.group(1));
    }

    static List<Path> readmes() throws IOException {
        try (Stream<Path> modules = Files.list(ROOT)) {
            List<Path> all = new ArrayList<>(modules.map(m -> m.resolve("README.md")).filter(Files::isRegularFile).sorted().toList());
            all.add(ROOT.resolve("README.md"));
            return all;
        }
    }

    /** Each dependency as one normalized line: its elements without comments or whitespace. */
    static List<String> dependencies(String xml) {
        Matcher m = DEPENDENCY.matcher(xml.replaceAll("(?s)<!--.*?-->", ""));
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1).replaceAll("\\s+", ""));
        }
        return found;
    }

    static String normalize(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }

    static String bundleVersion(Class<?> type) throws IOException {
        URL jar = type.getProtectionDomain().getCodeSource().getLocation();
        try (InputStream in = new URL("jar:" + jar + "!/META-INF/MANIFEST.MF").openStream()) {
            return new Manifest(in).getMainAttributes().getValue("Bundle-Version");
        }
    }
}
