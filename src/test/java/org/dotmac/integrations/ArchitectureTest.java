package org.dotmac.integrations;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The rules of the layout (docs/ARCHITECTURE.md), held on the compiled main classes: no package cycle,
 * {@code core} depends on nothing of ours, a provider module on no door and no other provider, the
 * doors not on each other.
 */
class ArchitectureTest {

    static final String BASE = "org.dotmac.integrations";
    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);
    /** The packages that hold one provider each. */
    static final List<String> PROVIDERS = org.dotmac.integrations.core.Providers.all().stream()
            .map(module -> module.getClass().getPackageName().substring(BASE.length() + 1)).distinct().toList();
    static final List<String> DOORS = List.of("api", "messaging", "health");

    @Test
    void theTopLevelPackagesFormNoCycle() {
        slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void noPackageFormsACycleWithItsNeighbours() {
        slices().matching(BASE + ".(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void coreDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage(BASE + ".core..")
                .should().dependOnClassesThat(resideInAPackage(BASE + "..").and(resideOutsideOfPackage(BASE + ".core..")))
                .check(MAIN);
    }

    @Test
    void aProviderDependsOnNoDoorAndOnNoOtherProvider() {
        for (String provider : PROVIDERS) {
            List<String> forbidden = new java.util.ArrayList<>();
            DOORS.forEach(door -> forbidden.add(BASE + "." + door + ".."));
            forbidden.add(BASE + ".config..");
            PROVIDERS.stream().filter(other -> !other.equals(provider)).forEach(other -> forbidden.add(BASE + "." + other + ".."));
            noClasses().that().resideInAPackage(BASE + "." + provider + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                    .because("a provider is a module: it builds on core and its integration only")
                    .check(MAIN);
        }
    }

    @Test
    void theDoorsDoNotDependOnEachOther() {
        for (String door : DOORS) {
            String[] others = DOORS.stream().filter(d -> !d.equals(door)).map(d -> BASE + "." + d + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage(BASE + "." + door + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .check(MAIN);
        }
    }

    @Test
    void noIntegrationDependsOnADoorOrOnStartUp() {
        noClasses().that().resideInAnyPackage(BASE + ".core..", BASE + ".notification..", BASE + ".email..",
                        BASE + ".sms..", BASE + ".storage..", BASE + ".search..")
                .should().dependOnClassesThat().resideInAnyPackage(BASE + ".api..", BASE + ".messaging..",
                        BASE + ".health..", BASE + ".config..")
                .check(MAIN);
    }

    /**
     * The same rules over the sources' imports: a compile-time constant (a header name) is copied into the
     * class that uses it, so the compiled classes do not show that dependency.
     */
    @Test
    void noSourceImportBreaksTheRulesThroughAConstant() throws java.io.IOException {
        java.nio.file.Path root = java.nio.file.Path.of("src/main/java/org/dotmac/integrations");
        List<String> breaches = new java.util.ArrayList<>();
        try (var files = java.nio.file.Files.walk(root)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String own = root.relativize(file.getParent()).toString().replace('/', '.');
                String top = own.split("\\.")[0];
                for (String line : java.nio.file.Files.readAllLines(file)) {
                    if (!line.startsWith("import org.dotmac.integrations.") && !line.startsWith("import static org.dotmac.integrations.")) {
                        continue;
                    }
                    String used = line.replaceFirst("import (static )?" + BASE.replace(".", "\\.") + "\\.", "").split("\\.")[0];
                    boolean integration = List.of("core", "notification", "email", "sms", "storage", "search").contains(top);
                    if ((top.equals("core") && !used.equals("core"))
                            || (integration && (DOORS.contains(used) || used.equals("config")))) {
                        breaches.add(root.relativize(file) + ": " + line);
                    }
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(breaches).isEmpty();
    }
}
