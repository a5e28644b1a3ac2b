package io.isrank.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The embed tool as a user submits it to a cluster: the packaged jar through submit.sh and
 * spark-submit (model jars shipped with --jars) onto a real standalone cluster of two workers,
 * each with its own executor JVM. The executors must load the model from the shipped jars, once
 * each, and produce the local run's embeddings.
 */
class EmbedClusterIT {
  private static final File ROOT = new File("..").getAbsoluteFile();

  private static final String[] TEXTS = {"A dog barks.", "The cat sleeps on the mat.", "Markets fell today.",
      "Bread needs flour and yeast.", "It will rain tomorrow.", "The orchestra played a duet.",
      "She runs every morning.", "A ship sails across the sea.", "Prices rose sharply.", "The child reads a book.",
      "Volcanoes erupt lava.", "He repaired the old bicycle."};

  private static int run(Path state, String master, Path log, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", new File(ROOT, "submit.sh").getPath()));
    if (master == null) {
      cmd.addAll(List.of("--master", "local[2]", "--"));
    } else {
      cmd.addAll(List.of("--master", master, "--executor-memory", "1g", "--driver-memory", "1g", "--"));
    }
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT).redirectErrorStream(true).redirectOutput(log.toFile());
    if (master == null) {
      pb.environment().put("ISRANK_EMBEDDED", "1");
    } else {
      pb.environment().put("SPARK_HOME", state.resolve("spark-home").toString());
      pb.environment().remove("ISRANK_EMBEDDED");
    }
    Process p = pb.start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "submit.sh timed out");
    return p.exitValue();
  }

  private static Process cluster(Path state, String action) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", new File(ROOT, "scripts/local-cluster.sh").getPath(), action)
        .directory(ROOT);
    pb.environment().put("CLUSTER_DIR", state.toString());
    pb.environment().put("MASTER_PORT", "7277");
    pb.environment().put("MASTER_UI_PORT", "8280");
    return pb.start();
  }

  @Test
  void embedsOnAClusterAsItDoesLocally() throws Exception {
    Path work = Files.createTempDirectory("isrank-embed-cluster-it");
    Path state = Path.of("target", "it-cluster").toAbsolutePath();
    String texts = work.resolve("texts").toString();
    SparkSession spark = SparkSession.builder().master("local[1]").appName("EmbedClusterIT")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < TEXTS.length; i++) {
        rows.add(RowFactory.create((long) i, TEXTS[i]));
      }
      spark.createDataFrame(rows, new StructType().add("id", DataTypes.LongType).add("text", DataTypes.StringType))
          .write().parquet(texts);

      Process start = cluster(state, "start");
      String out = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(start.waitFor(3, TimeUnit.MINUTES));
      assertEquals(0, start.exitValue(), new String(start.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      String master = out.lines().filter(l -> l.startsWith("spark://")).findFirst().orElseThrow();
      try {
        String[] job = {"embed", "--texts", texts, "--models", "all-minilm-l6-v2-q,noise-6", "--partitions", "4",
            "--output"};
        Path local = work.resolve("local");
        Path remote = work.resolve("cluster");
        assertEquals(0, run(state, null, work.resolve("local.log"), concat(job, local.toString())),
            Files.readString(work.resolve("local.log")));
        assertEquals(0, run(state, master, work.resolve("cluster.log"), concat(job, remote.toString())),
            Files.readString(work.resolve("cluster.log")));
        for (String model : List.of("all-minilm-l6-v2-q", "noise-6")) {
          Map<Long, List<Float>> a = read(spark, local.resolve("model=" + model).toString());
          Map<Long, List<Float>> b = read(spark, remote.resolve("model=" + model).toString());
          assertEquals(TEXTS.length, b.size(), model);
          assertEquals(a, b, model + ": the cluster's embeddings equal the local run's");
        }
        // each executor that ran an encoder task loaded the model once, from the jars spark-submit shipped
        List<Path> stderr;
        try (Stream<Path> files = Files.walk(state)) {
          stderr = files.filter(f -> f.getFileName().toString().equals("stderr")
              && f.toString().contains(File.separator + "work-")).toList();
        }
        int loaders = 0;
        for (Path f : stderr) {
          long loads = Files.readAllLines(f).stream().filter(l -> l.contains("loaded model all-minilm-l6-v2-q")).count();
          assertTrue(loads <= 1, f + " loaded the model " + loads + " times");
          loaders += (int) loads;
        }
        assertTrue(loaders >= 1, "no executor log shows the model load; logs: " + stderr);
      } finally {
        cluster(state, "stop").waitFor(2, TimeUnit.MINUTES);
      }
    } finally {
      spark.stop();
    }
  }

  private static Map<Long, List<Float>> read(SparkSession spark, String path) {
    Map<Long, List<Float>> m = new HashMap<>();
    for (Row r : spark.read().parquet(path).collectAsList()) {
      m.put(r.getLong(0), r.getList(1));
    }
    return m;
  }

  private static String[] concat(String[] a, String b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = b;
    return out;
  }
}
