package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.testkit.ExampleGenerator;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * submit.sh end to end, as a user runs it: embedded mode on the bundled example, from the packaged
 * jar (this runs after {@code package}, in the integration-test phase).
 */
class SubmitScriptIT {
  private static final File ROOT = new File("..").getAbsoluteFile();

  private record Outcome(int code, String stdout, String stderr) {}

  private static Outcome submit(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", new File(ROOT, "submit.sh").getPath()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT);
    pb.environment().put("ISRANK_EMBEDDED", "1");
    pb.environment().remove("SPARK_HOME");
    pb.redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "submit.sh timed out");
    return new Outcome(p.exitValue(), Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void runsTheExampleEmbeddedAndWritesTablesWithTheirSchema(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("example");
    Outcome o = submit(dir, "--master", "local[2]", "--", "--config", "conf/example.conf", "--output", out.toString());
    assertEquals(0, o.code(), o.stderr());
    assertTrue(o.stdout().contains("isrank ranking"), o.stdout());
    assertTrue(o.stderr().contains("stage 7/9 score"), "progress is logged");

    List<String> ranking = Files.readAllLines(out.resolve("ranking.csv"));
    assertTrue(ranking.get(0).startsWith("run_id,rank,model,informativeness,lower,upper,mean_normalised_sufficiency,"
        + "median_tied,targets,dim,reduced_dim,explained_variance,reduction,entropy,parameters,ms_per_item,"),
        ranking.get(0));
    assertTrue(ranking.get(0).endsWith(",group,strongest_target,weakest_target,best_simulator,explanation"),
        ranking.get(0));
    List<String> order = ranking.stream().skip(1).map(l -> l.split(",")[2]).toList();
    assertEquals(ExampleGenerator.ZOO.stream().map(ExampleGenerator.ModelSpec::name).toList(), order);
    for (String f : List.of("pairs.csv", "run.json", "report.html")) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    SparkSession spark = SparkSession.builder().master("local[1]").appName("SubmitScriptIT")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      Dataset<Row> pairs = spark.read().parquet(out.resolve("pairs").toString());
      assertEquals("struct<run_id:string,source:string,target:string,sufficiency:double,normalised_sufficiency:double,"
          + "standard_error:double,lower:double,upper:double,target_entropy:double,target_conditional_entropy:double,"
          + "bias_correction:double,rows_fit:bigint,rows_eval:bigint,source_dim:int,target_dim:int,"
          + "source_reduced_dim:int,target_reduced_dim:int,may_be_truncated:boolean,components:int,iterations:int,"
          + "log_likelihood:double,converged:boolean>",
          pairs.schema().simpleString());
      assertEquals(20, pairs.count());
    } finally {
      spark.stop();
    }
  }

  @Test
  void theFirstEmbeddedRunWritesAClassDataArchiveThatLaterRunsUse(@TempDir Path dir) throws Exception {
    Path archive = new File(ROOT, "spark-job/target/isrank-spark-job.jsa").toPath();
    Files.deleteIfExists(archive);
    Outcome first = submit(dir, "validate", "--config", "conf/example.conf");
    assertEquals(0, first.code(), first.stderr());
    assertTrue(first.stderr().contains("this first run also writes a class-data archive"), first.stderr());
    assertTrue(Files.size(archive) > 1_000_000, "the archive holds the classes the run loaded");
    Outcome second = submit(dir, "validate", "--config", "conf/example.conf");
    assertEquals(0, second.code(), second.stderr());
    assertEquals(first.stdout(), second.stdout(), "the same report with the archive");
    assertFalse(second.stderr().contains("class-data archive"), "the archive is used, not written again");
    for (Outcome o : List.of(first, second)) {
      assertFalse(o.stderr().contains("[warning]"), "the JVM's archive messages stay quiet: " + o.stderr());
    }
    try (java.util.stream.Stream<Path> left = Files.list(archive.getParent())) {
      assertEquals(List.of(), left.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(),
          "no half-written archive is left");
    }
  }

  @Test
  void userErrorsEndWithOneMessageAndExitCodeTwo(@TempDir Path dir) throws Exception {
    Outcome o = submit(dir, "--input", dir.resolve("missing").toString(), "--output", dir.resolve("o").toString());
    assertEquals(2, o.code());
    assertTrue(o.stderr().contains("isrank: error: input path '") && o.stderr().contains("does not exist"),
        o.stderr());
    assertFalse(o.stderr().contains("\tat "), "no stack trace without --verbose");

    Outcome bad = submit(dir, "--input", "x", "--output", "y", "--reduce.dims", "-3");
    assertEquals(2, bad.code());
    assertTrue(bad.stderr().contains("option 'reduce.dims' = -3 is not allowed"), bad.stderr());

    Outcome yarn = submit(dir, "--master", "yarn", "--", "--config", "conf/example.conf");
    assertEquals(2, yarn.code());
    assertEquals("submit.sh: --master yarn needs spark-submit from a Spark installation (set SPARK_HOME, or put "
        + "spark-submit on PATH); without one isrank runs embedded on local[N] only", yarn.stderr().trim());

    Outcome bogus = submit(dir, "--conf", "spark.master=bogus", "--", "--config", "conf/example.conf", "--output",
        dir.resolve("b").toString());
    assertEquals(2, bogus.code());
    assertTrue(bogus.stderr().trim().endsWith("isrank: error: Spark cannot start with master 'bogus': Could not parse "
        + "Master URL: 'bogus'; use local[N] here, or spark-submit with yarn, spark://host:port or k8s://… (set "
        + "SPARK_HOME for submit.sh)"), bogus.stderr());
    assertFalse(bogus.stderr().contains("\tat "), "no stack trace");

    Outcome help = submit(dir, "--help");
    assertEquals(0, help.code());
    assertTrue(help.stdout().contains("--reduce.dims") && help.stdout().contains("spark-submit"), help.stdout());
  }
}
