package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged job on a real multi-process Spark standalone cluster (scripts/local-cluster.sh:
 * a Master and two Workers on loopback, each with its own executor JVMs), submitted through
 * submit.sh and spark-submit in client and cluster deploy mode. Results must equal a local-mode run
 * to the last digit, survive the loss of an executor, and a killed driver must leave no output
 * that looks complete.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {
  private static final File ROOT = new File("..").getAbsoluteFile();
  private Path state;
  private String master;
  private Path work;
  private Path bigInput;

  private record Outcome(int code, String log) {}

  @BeforeAll
  void startCluster() throws Exception {
    state = Path.of("target", "it-cluster").toAbsolutePath();
    work = Files.createTempDirectory("isrank-cluster-it");
    ProcessBuilder start = new ProcessBuilder("bash", new File(ROOT, "scripts/local-cluster.sh").getPath(), "start")
        .directory(ROOT).redirectErrorStream(false);
    start.environment().put("CLUSTER_DIR", state.toString());
    Process p = start.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(3, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), "cluster did not start: " + new String(p.getErrorStream().readAllBytes(),
        StandardCharsets.UTF_8));
    master = out.lines().filter(l -> l.startsWith("spark://")).findFirst().orElseThrow();
    // A larger zoo (30,000 items) so that a run lasts long enough to lose an executor in it.
    bigInput = work.resolve("big");
    Process g = new ProcessBuilder("bash", new File(ROOT, "datasets/generate-example.sh").getPath(),
        bigInput.toString(), "30000", "11").directory(ROOT).redirectErrorStream(true)
        .redirectOutput(work.resolve("generate.log").toFile()).start();
    assertTrue(g.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, g.exitValue(), Files.readString(work.resolve("generate.log")));
  }

  @AfterAll
  void stopCluster() throws Exception {
    ProcessBuilder stop = new ProcessBuilder("bash", new File(ROOT, "scripts/local-cluster.sh").getPath(), "stop")
        .directory(ROOT).inheritIO();
    stop.environment().put("CLUSTER_DIR", state.toString());
    stop.start().waitFor(2, TimeUnit.MINUTES);
  }

  private ProcessBuilder submitCommand(String mode, Path log, List<String> job) {
    return submitCommand(mode, log, job, List.of());
  }

  /** @param conf more spark-submit options (client or cluster mode) */
  private ProcessBuilder submitCommand(String mode, Path log, List<String> job, List<String> conf) {
    List<String> cmd = new ArrayList<>(List.of("bash", new File(ROOT, "submit.sh").getPath()));
    if (mode.equals("local")) {
      cmd.addAll(List.of("--master", "local[2]", "--"));
    } else {
      cmd.addAll(List.of("--master", master, "--deploy-mode", mode, "--conf",
          "spark.standalone.submit.waitAppCompletion=true", "--executor-memory", "1g", "--driver-memory", "1g",
          "--conf", "spark.task.maxFailures=4"));
      cmd.addAll(conf);
      cmd.add("--");
    }
    cmd.addAll(job);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    if (mode.equals("local")) {
      env.put("ISRANK_EMBEDDED", "1");
    } else {
      env.put("SPARK_HOME", state.resolve("spark-home").toString());
      env.remove("ISRANK_EMBEDDED");
    }
    return pb;
  }

  private Outcome submit(String mode, String name, String... job) throws Exception {
    Path log = work.resolve(name + ".log");
    Process p = submitCommand(mode, log, List.of(job)).start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), name + " timed out");
    return new Outcome(p.exitValue(), Files.readString(log));
  }

  /** ranking.csv and pairs.csv without their leading run_id column (each run has its own id). */
  private static String tables(Path out) throws IOException {
    return withoutRunId(Files.readString(out.resolve("ranking.csv"))) + withoutRunId(Files.readString(out.resolve(
        "pairs.csv")));
  }

  static String withoutRunId(String csv) {
    assertTrue(csv.startsWith("run_id,"), "tables lead with run_id");
    return csv.lines().map(l -> l.substring(l.indexOf(',') + 1)).collect(java.util.stream.Collectors.joining("\n"));
  }

  @Test
  void clientAndClusterModeGiveLocalModesNumbersToTheLastDigit() throws Exception {
    String example = new File(ROOT, "datasets/example").getPath();
    List<String> common = List.of("--config", new File(ROOT, "conf/example.conf").getPath(), "--input", example);
    Path local = work.resolve("local");
    Path client = work.resolve("client");
    Path cluster = work.resolve("cluster");
    long t0 = System.nanoTime();
    Outcome l = submit("local", "local", concat(common, "--output", local.toString()));
    long t1 = System.nanoTime();
    Outcome c = submit("client", "client", concat(common, "--output", client.toString()));
    long t2 = System.nanoTime();
    Outcome k = submit("cluster", "cluster", concat(common, "--output", cluster.toString()));
    long t3 = System.nanoTime();
    System.out.printf("wall time: local %.1fs, client %.1fs, cluster %.1fs%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9,
        (t3 - t2) / 1e9);
    assertEquals(0, l.code(), l.log());
    assertEquals(0, c.code(), c.log());
    assertEquals(0, k.code(), k.log());
    assertEquals(tables(local), tables(client));
    assertEquals(tables(local), tables(cluster));
    assertTrue(Files.readString(client.resolve("run.json")).contains("\"master\" : \"" + master + "\""));
  }

  @Test
  void losingAnExecutorMidRunChangesNothing() throws Exception {
    List<String> job = List.of("--input", bigInput.toString(), "--split.fit-rows", "4000", "--reduce.dims", "16",
        "--split.rows-per-partition", "2000");
    Path reference = work.resolve("big-local");
    Outcome l = submit("local", "big-local", concat(job, "--output", reference.toString()));
    assertEquals(0, l.code(), l.log());

    Path out = work.resolve("big-client");
    Path log = work.resolve("big-client.log");
    int ui = freePort();
    Process p = submitCommand("client", log, List.of(concat(job, "--output", out.toString())),
        List.of("--conf", "spark.ui.port=" + ui)).start();
    long killed = -1;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (killed < 0 && p.isAlive() && System.nanoTime() < deadline) {
      if (jobStarted(ui, "isrank 5/9 align:")) { // the driver's own account of its jobs, not its log
        List<Long> executors = executorPids();
        if (!executors.isEmpty()) {
          killed = executors.get(0);
          new ProcessBuilder("kill", "-9", String.valueOf(killed)).start().waitFor();
        }
      }
      Thread.sleep(200);
    }
    assertTrue(killed > 0, "no executor was found to kill during the run");
    assertTrue(p.waitFor(10, TimeUnit.MINUTES));
    String text = Files.readString(log);
    assertEquals(0, p.exitValue(), text);
    System.out.printf("killed executor pid %d; lost-executor lines in the log: %d%n", killed,
        text.lines().filter(x -> x.contains("Lost executor") || x.contains("ExecutorLost")
            || x.contains("executor lost")).count());
    assertEquals(tables(reference), tables(out));
  }

  @Test
  void killedDriverLeavesNothingThatLooksCompleteAndARerunSucceeds() throws Exception {
    Path out = work.resolve("killed");
    Path log = work.resolve("killed.log");
    List<String> job = List.of("--input", bigInput.toString(), "--output", out.toString(), "--split.fit-rows", "4000");
    int ui = freePort();
    Process p = submitCommand("client", log, job, List.of("--conf", "spark.ui.port=" + ui)).start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (p.isAlive() && System.nanoTime() < deadline && !jobStarted(ui, "isrank 4/9 reduce:")) {
      Thread.sleep(200);
    }
    assertTrue(p.isAlive(), "the run ended before it could be killed: " + Files.readString(log));
    // submit.sh and bin/spark-submit exec into the driver JVM: this pid is the driver.
    new ProcessBuilder("kill", "-9", String.valueOf(p.pid())).start().waitFor();
    p.waitFor(1, TimeUnit.MINUTES);
    assertFalse(Files.exists(out), "a killed run left an output folder");
    Outcome rerun = submit("client", "rerun", job.toArray(new String[0]));
    assertEquals(0, rerun.code(), rerun.log());
    assertTrue(Files.isRegularFile(out.resolve("run.json")));
  }

  /**
   * Whether the driver whose UI listens on {@code port} has started a Spark job whose description
   * (the pipeline names each stage's jobs) starts with {@code prefix}: asked of Spark's REST API.
   * False while the driver is not up yet.
   */
  private static boolean jobStarted(int port, String prefix) {
    try {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
      String base = "http://127.0.0.1:" + port + "/api/v1/applications";
      com.fasterxml.jackson.databind.JsonNode apps = json.readTree(http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(base)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
      if (!apps.isArray() || apps.isEmpty()) {
        return false;
      }
      com.fasterxml.jackson.databind.JsonNode jobs = json.readTree(http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(base + "/" + apps.get(0).get("id").asText() + "/jobs")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body());
      for (com.fasterxml.jackson.databind.JsonNode j : jobs) {
        if (j.path("description").asText("").startsWith(prefix)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false; // not listening yet, or not JSON yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Executor JVMs of this cluster: their command line names the executor backend and our Spark home. */
  private List<Long> executorPids() throws Exception {
    Process ps = new ProcessBuilder("pgrep", "-f", "CoarseGrainedExecutorBackend").start();
    String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ps.waitFor();
    List<Long> pids = new ArrayList<>();
    for (String line : out.lines().filter(x -> !x.isBlank()).toList()) {
      Path cmdline = Path.of("/proc", line.trim(), "cmdline");
      if (Files.exists(cmdline) && new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8)
          .contains(state.toString())) {
        pids.add(Long.parseLong(line.trim()));
      }
    }
    return pids;
  }

  private static String[] concat(List<String> a, String... b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(List.of(b));
    return out.toArray(new String[0]);
  }
}
