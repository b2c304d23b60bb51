package com.nexflux.integrations.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
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

  /**
   * The provider rooms: one package per provider in each module (core.mqtt, providers.mqtt, http.mqtt, app.mqtt, ...).
   * A new provider adds its name here.
   */
  static final List<String> PROVIDER_ROOMS = List.of("mqtt", "github", "arduino", "blynk", "thingsboard", "google",
      "onedrive");

  @Test
  void providerRoomsNeverImportEachOther() {
    for (String a : PROVIDER_ROOMS) {
      for (String b : PROVIDER_ROOMS) {
        if (a.equals(b)) {
          continue;
        }
        noClasses().that().resideInAPackage(BASE + ".*." + a + "..")
            .should().dependOnClassesThat().resideInAPackage(BASE + ".*." + b + "..")
            .because("a provider's room knows the shared mechanisms, never another provider")
            .allowEmptyShould(true)
            .check(classes);
      }
    }
  }

  @Test
  void sharedMechanismsKnowNoProviderRoom() {
    for (String room : PROVIDER_ROOMS) {
      noClasses().that().resideInAnyPackage(BASE + ".core.oauth..", BASE + ".core.sync..", BASE + ".core.provider..",
              BASE + ".core.domain..", BASE + ".core.net..", BASE + ".core.error..", BASE + ".core.audit..",
              BASE + ".core.account..", BASE + ".http.kit..", BASE + ".http.internal..", BASE + ".http.oauth..",
              BASE + ".app.provider..")
          .should().dependOnClassesThat().resideInAPackage(BASE + ".*." + room + "..")
          .because("shared mechanisms are built for every provider and name none")
          .allowEmptyShould(true)
          .check(classes);
    }
  }

  @Test
  void everyKnownProviderRoomExistsInCoreForTheBuiltOnes() {
    for (String room : List.of("mqtt", "github")) {
      for (String module : List.of("core", "providers", "http", "app")) {
        assertThat(classes.stream().anyMatch(c -> c.getPackageName().equals(BASE + "." + module + "." + room)))
            .as("%s has a %s room", module, room).isTrue();
      }
    }
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
