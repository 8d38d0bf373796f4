package dev.surge.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The build bans SDK dependencies from core; this checks the bytecode too. */
class CoreKnowsNoSdkTest {
  @Test
  void noCoreClassDependsOnAnAwsSdkOrCdkClass() {
    JavaClasses core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.surge.core");
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("software.amazon..", "com.amazonaws..")
        .because("the core is the domain; SDK types belong in the adapters")
        .check(core);
  }
}
