package org.dotmac.integrations;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/PROMISES.md names the tests that prove each promise: every one it names is a test that exists. */
class PromisesDocumentTest {

    private static final Pattern REFERENCE = Pattern.compile("`([A-Z][A-Za-z0-9]*)#([a-z][A-Za-z0-9]*)`");

    @Test
    void everyTestThePromisesNameExists() throws Exception {
        String promises = Files.readString(Path.of("docs", "PROMISES.md"));
        Map<String, String> classes = testClasses();
        List<String> missing = new ArrayList<>();
        int named = 0;
        for (Matcher reference = REFERENCE.matcher(promises); reference.find(); named++) {
            String className = classes.get(reference.group(1));
            if (className == null) {
                missing.add(reference.group() + ": no such test class");
                continue;
            }
            // not initialized: a test class's static fields start servers
            Class<?> type = Class.forName(className, false, PromisesDocumentTest.class.getClassLoader());
            boolean isTest = Arrays.stream(type.getDeclaredMethods()).filter(m -> m.getName().equals(reference.group(2)))
                    .anyMatch(PromisesDocumentTest::isTest);
            if (!isTest) {
                missing.add(reference.group() + ": no test method of that name");
            }
        }
        System.out.println("docs/PROMISES.md names " + named + " tests");
        assertThat(named).as("tests named").isGreaterThan(50);
        assertThat(missing).as("tests docs/PROMISES.md names that do not exist").isEmpty();
    }

    private static boolean isTest(Method method) {
        return method.isAnnotationPresent(Test.class) || method.isAnnotationPresent(ParameterizedTest.class);
    }

    /** Simple name to binary name of every compiled test class. */
    private static Map<String, String> testClasses() throws IOException {
        Path root = Path.of("target", "test-classes");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$"))
                    .map(f -> root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .collect(Collectors.toMap(name -> name.substring(name.lastIndexOf('.') + 1), name -> name, (a, b) -> a));
        }
    }
}
