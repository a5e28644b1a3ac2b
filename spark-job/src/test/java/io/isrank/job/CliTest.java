package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.error.ConfigException;
import io.isrank.fit.EstimatorConfig;
import io.isrank.fit.EstimatorType;
import io.isrank.fit.MixtureConfig;
import io.isrank.fit.MixtureEngine;
import io.isrank.load.InputSpec;
import io.isrank.rank.Normalisation;
import io.isrank.reduce.ReduceConfig;
import io.isrank.report.OutputSpec;
import io.isrank.split.SplitConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options: defaults pinned, layering file < command line, clear errors. No Spark needed. */
class CliTest {
  private static RunConfig parse(String... args) {
    return ((Cli.Run) Cli.parse(args)).config();
  }

  @Test
  void defaultsArePinned() {
    RunConfig c = parse("--input", "in", "--output", "out");
    assertEquals(42, c.seed());
    assertEquals(new SplitConfig(20_000, 0, 50, 20_000), c.split());
    assertEquals(new ReduceConfig(ReduceConfig.AUTO, 1024, 8000, 4, 1e-9, false), c.reduce());
    assertTrue(c.reduce().auto());
    assertEquals(new EstimatorConfig(EstimatorType.GAUSSIAN, 1e-4, true, true), c.estimator());
    assertEquals(new MixtureConfig(MixtureEngine.TASK, 2, 2, 100, 1e-4, 2, true, 4), c.mixture());
    assertEquals(new io.isrank.ranking.RankConfig(Normalisation.DIM, List.of(), List.of(), 200, 0.95), c.rank());
    assertEquals(new InputSpec("in", "id", "model", "embedding", List.of(), false, ""), c.input());
    assertEquals(new OutputSpec("out", false, "", 0, ""), c.output());
  }

  @Test
  void commandLineBeatsFilesWhichBeatDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("run.conf");
    Files.writeString(file, "reduce.dims = 24\nseed = 7\nrank { sources = [x, y] }\n");
    RunConfig c = parse("--config", file.toString(), "--input", "in", "--output", "out", "--seed", "9",
        "--rank.targets", "p,q", "--overwrite", "--input.drop-invalid");
    assertEquals(24, c.reduce().dims());
    assertEquals(9, c.seed());
    assertEquals(List.of("x", "y"), c.rank().sources());
    assertEquals(List.of("p", "q"), c.rank().targets());
    assertTrue(c.output().overwrite());
    assertTrue(c.input().dropInvalid());
  }

  @Test
  void unknownKeyInFileNamesItAndTheLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("typo.conf");
    Files.writeString(file, "reduce.dims = 8\nreduce.dimz = 9\n");
    ConfigException e = assertThrows(ConfigException.class, () -> parse("--config", file.toString()));
    assertTrue(e.getMessage().contains("unknown option 'reduce.dimz' (line 2)"), e.getMessage());
  }

  @Test
  void outOfRangeValuesNameKeyValueAndRange() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse("--input", "i", "--output", "o", "--reduce.dims", "0"));
    assertEquals("option 'reduce.dims' = 0 is not allowed: expected an integer from 1 to 4096, or auto",
        e.getMessage());
    assertEquals(32, parse("--input", "i", "--output", "o", "--reduce.dims", "32").reduce().dims());
    e = assertThrows(ConfigException.class, () -> parse("--input", "i", "--output", "o", "--estimator.type", "knn"));
    assertTrue(e.getMessage().contains("expected gaussian or mixture"));
    e = assertThrows(ConfigException.class, () -> parse("--input", "i", "--output", "o", "--rank.bootstrap", "5"));
    assertTrue(e.getMessage().contains("at least 20"));
    e = assertThrows(ConfigException.class, () -> parse("--output", "o"));
    assertTrue(e.getMessage().contains("input.path"));
    e = assertThrows(ConfigException.class, () -> parse("--input", "i", "--output", "o", "--no-such-thing"));
    assertTrue(e.getMessage().contains("--no-such-thing"));
    e = assertThrows(ConfigException.class, () -> parse("--input", "i", "--output", "o", "--seed", "abc"));
    assertTrue(e.getMessage().contains("seed"), e.getMessage());
  }

  @Test
  void helpListsEveryKeyWithItsDocumentation() {
    Cli.Help help = assertInstanceOf(Cli.Help.class, Cli.parse("--help"));
    for (String key : Cli.defaults().entrySet().stream().map(java.util.Map.Entry::getKey).toList()) {
      assertTrue(help.text().contains("--" + key), key);
    }
    assertTrue(help.text().contains("Covariance floor"));
  }

  @Test
  void unresolvedSubstitutionNamesTheFileInOneError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("lake.conf");
    Files.writeString(file, "input.path = ${ISRANK_TEST_UNSET_VARIABLE_42}\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse("--config", file.toString(), "--output", "o"));
    assertTrue(e.getMessage().contains("lake.conf") && e.getMessage().contains("ISRANK_TEST_UNSET_VARIABLE_42"),
        e.getMessage());
  }

  @Test
  void missingRequiredIncludeNamesTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("with-include.conf");
    Files.writeString(file, "include required(file(\"" + dir.resolve("absent.conf") + "\"))\nseed = 3\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse("--config", file.toString(), "--input", "i", "--output", "o"));
    assertTrue(e.getMessage().contains("with-include.conf") && e.getMessage().contains("absent.conf"),
        e.getMessage());
  }

  @Test
  void integersAreNeverClampedOrRounded(@TempDir Path dir) throws Exception {
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse("--input", "i", "--output", "o", "--seed", "99999999999999999999"));
    assertTrue(e.getMessage().startsWith("option 'seed' = 99999999999999999999 is not allowed"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> parse("--input", "i", "--output", "o", "--split.fit-rows", "2500.5"));
    assertTrue(e.getMessage().contains("'split.fit-rows' = 2500.5"), e.getMessage());
    Path file = dir.resolve("big.conf");
    Files.writeString(file, "seed = 1e30\n");
    e = assertThrows(ConfigException.class, () -> parse("--config", file.toString(), "--input", "i", "--output", "o"));
    assertTrue(e.getMessage().contains("'seed'"), e.getMessage());
    // the largest seed there is stays itself
    assertEquals(Long.MAX_VALUE, parse("--input", "i", "--output", "o", "--seed", "9223372036854775807").seed());
    assertEquals(-5, parse("--input", "i", "--output", "o", "--seed", "-5").seed());
  }
}
