package io.isrank.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The release bundle as a user gets it: unpacked from isrank-VERSION-bin.tar.gz, run with
 * "their" spark-submit. The Spark installation here is Spark's own jars launched through
 * {@code org.apache.spark.deploy.SparkSubmit}, the class bin/spark-submit runs; nothing of the
 * source tree or the Maven build is on the job's classpath but the bundle's jar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BundleIT {
  private static final File ROOT = new File("..").getAbsoluteFile();
  private static final String VERSION = System.getProperty("isrank.version", "0.1.0-SNAPSHOT");

  private Path tmp;
  private Path bundle;
  private Path sparkHome;

  @BeforeAll
  void unpackAndMakeASparkInstallation() throws Exception {
    tmp = Files.createTempDirectory("isrank-bundle");
    Path tarball = ROOT.toPath().resolve("target").resolve("isrank-" + VERSION + "-bin.tar.gz");
    assertTrue(Files.isRegularFile(tarball), "mvn package builds " + tarball);
    run(tmp, Map.of(), "tar", "xzf", tarball.toString());
    bundle = tmp.resolve("isrank-" + VERSION);

    sparkHome = Files.createDirectories(tmp.resolve("spark").resolve("bin")).getParent();
    String classpath = Files.readString(Path.of("target", "spark-classpath.txt")).trim();
    String opens = Files.readAllLines(ROOT.toPath().resolve("conf/jvm.properties")).stream()
        .filter(l -> l.startsWith("java17.opens=")).findFirst().orElseThrow().substring("java17.opens=".length());
    Path submit = sparkHome.resolve("bin").resolve("spark-submit");
    Files.writeString(submit, "#!/usr/bin/env bash\nexec java " + opens + " -Xmx2g -cp '" + classpath
        + "' org.apache.spark.deploy.SparkSubmit \"$@\"\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterAll
  void removeTheBundle() throws IOException {
    try (var files = Files.walk(tmp)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private record Outcome(int code, String out, String err) {}

  private static Outcome run(Path dir, Map<String, String> env, String... command) throws IOException,
      InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().remove("SPARK_HOME");
    pb.environment().remove("ISRANK_EMBEDDED");
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.environment().putAll(env);
    Path out = Files.createTempFile("bundle", ".out");
    Path err = Files.createTempFile("bundle", ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " timed out");
    return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void theBundleHoldsTheJarScriptConfigurationExampleAndReadme() throws IOException {
    for (String f : List.of("lib/isrank-spark-job.jar", "submit.sh", "README.md", "conf/defaults.conf",
        "conf/example.conf", "conf/jvm.properties")) {
      assertTrue(Files.isRegularFile(bundle.resolve(f)), f);
    }
    assertTrue(Files.isExecutable(bundle.resolve("submit.sh")));
    assertTrue(Files.isDirectory(bundle.resolve("datasets/example/model=alpha-12f")));
    try (JarFile jar = new JarFile(bundle.resolve("lib/isrank-spark-job.jar").toFile())) {
      assertEquals(VERSION, jar.getManifest().getMainAttributes().getValue("Implementation-Version"));
      assertTrue(jar.getEntry("io/isrank/git.properties") != null, "the commit is recorded in the jar");
      List<String> spark = new ArrayList<>();
      jar.stream().filter(e -> e.getName().startsWith("org/apache/spark/")).limit(3).forEach(e -> spark.add(e.getName()));
      assertEquals(List.of(), spark, "Spark is the user's: not in the jar");
      List<String> tools = new ArrayList<>();
      jar.stream().map(e -> e.getName())
          .filter(n -> n.startsWith("io/isrank/bench/") || n.startsWith("io/isrank/testkit/"))
          .limit(3).forEach(tools::add);
      assertEquals(List.of(), tools, "benchmarks, calibration and generators are developer tools: not in the jar");
    }
  }

  @Test
  void theExampleRunsWithTheUsersSparkSubmitAndRecordsVersionAndCommit() throws Exception {
    Path out = tmp.resolve("example-out");
    Outcome o = run(bundle, Map.of("SPARK_HOME", sparkHome.toString()), "./submit.sh", "--master", "local[2]",
        "--", "--config", "conf/example.conf", "--output", out.toString(), "--rank.bootstrap", "20");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.err().contains("SparkContext: Running Spark version"), "spark-submit ran the job: " + o.err());
    assertEquals(6, Files.readAllLines(out.resolve("ranking.csv")).size(), "header and the example's five models");
    String json = Files.readString(out.resolve("run.json"));
    assertTrue(json.contains("\"isrank_version\" : \"" + VERSION + "\""), json);
    assertTrue(Pattern.compile("\"isrank_commit\" : \"([0-9a-f]{40}(-dirty)?|unknown)\"").matcher(json).find(),
        "run.json records the commit");
  }

  @Test
  void withoutASparkInstallationTheBundleSaysWhatItNeeds() throws Exception {
    Outcome o = run(bundle, Map.of(), "./submit.sh", "--config", "conf/example.conf", "--output", "x");
    assertEquals(2, o.code());
    assertEquals("submit.sh: the release bundle runs with your Spark installation: set SPARK_HOME (Spark 4.2, Scala "
        + "2.13) or put spark-submit on PATH", o.err().trim());
  }
}
