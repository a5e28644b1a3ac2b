package io.isrank.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The shape of the code as rules on its compiled classes: a reader can follow a run from the job
 * through the stage packages (load, validate, split, reduce, align, fit, score, ranking, report) and
 * the shared ones (runtime, math, estimate, rank, error) without meeting a cycle.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackageRulesTest {
  private JavaClasses classes;

  @BeforeAll
  void importTheJobsClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.isrank");
  }

  @Test
  void thePackagesFormNoCycle() {
    slices().matching("io.isrank.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void nothingBelowTheJobImportsIt() {
    noClasses().that().resideOutsideOfPackages("io.isrank.job..", "io.isrank.api..")
        .should().dependOnClassesThat().resideInAPackage("io.isrank.job..").check(classes);
  }
}
