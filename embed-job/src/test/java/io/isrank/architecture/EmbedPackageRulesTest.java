package io.isrank.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The embed tools' packages (embed, probe) and the job's form no cycle. */
class EmbedPackageRulesTest {
  @Test
  void thePackagesFormNoCycle() {
    slices().matching("io.isrank.(*)..").should().beFreeOfCycles().check(new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.isrank"));
  }
}
