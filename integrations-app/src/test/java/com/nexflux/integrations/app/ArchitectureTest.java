package com.nexflux.integrations.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the dependency direction: core knows nothing outside itself, adapters know only core, nobody knows app. */
class ArchitectureTest {
  private static final String BASE = "com.nexflux.integrations";
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar")) // sibling modules' test fixtures
        .importPackages(BASE);
  }

  @Test
  void everyModuleIsImported() {
    for (String module : new String[] {"core", "providers", "persistence", "http", "app"}) {
      assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(BASE + "." + module)))
          .as("classes of module %s are imported", module)
          .isTrue();
    }
  }

  @Test
  void coreDependsOnTheJdkAlone() {
    classes().that().resideInAPackage(BASE + ".core..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", BASE + ".core..")
        .check(classes);
  }

  @Test
  void providersKnowOnlyCore() {
    adapterKnowsOnlyCore("providers");
  }

  @Test
  void persistenceKnowsOnlyCore() {
    adapterKnowsOnlyCore("persistence");
  }

  @Test
  void httpKnowsOnlyCore() {
    adapterKnowsOnlyCore("http");
  }

  @Test
  void nothingDependsOnApp() {
    noClasses().that().resideOutsideOfPackage(BASE + ".app..")
        .should().dependOnClassesThat().resideInAPackage(BASE + ".app..")
        .check(classes);
  }

  private static void adapterKnowsOnlyCore(String adapter) {
    String[] others = java.util.stream.Stream.of("providers", "persistence", "http", "app")
        .filter(m -> !m.equals(adapter))
        .map(m -> BASE + "." + m + "..")
        .toArray(String[]::new);
    noClasses().that().resideInAPackage(BASE + "." + adapter + "..")
        .should().dependOnClassesThat().resideInAnyPackage(others)
        .because("adapters depend on core and never on each other or on app")
        .check(classes);
  }
}
