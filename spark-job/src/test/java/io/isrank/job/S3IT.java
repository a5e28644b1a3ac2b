package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Input, configuration, outputs and history on {@code s3a://}: Hadoop's S3A connector (the
 * hadoop-aws of the Hadoop client) against S3Proxy, an S3-compatible server started here on
 * loopback with an in-memory store. The same numbers as with local files.
 */
class S3IT extends SparkTestBase {
  private static final String KEY = "isrank-access";
  private static final String SECRET = "isrank-secret-key";
  private S3Proxy proxy;
  private BlobStoreContext store;

  @BeforeAll
  void startS3() throws Exception {
    Properties props = new Properties();
    store = ContextBuilder.newBuilder("transient").overrides(props).build(BlobStoreContext.class);
    store.getBlobStore().createContainerInLocation(null, "lake");
    proxy = S3Proxy.builder().blobStore(store.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY, SECRET).build();
    proxy.start();
    for (int i = 0; i < 200 && !proxy.getState().equals("STARTED"); i++) {
      Thread.sleep(50);
    }
    String endpoint = "http://127.0.0.1:" + proxy.getPort();
    // as spark-submit --conf spark.hadoop.fs.s3a.… would set them, for the session and for --config
    for (String[] kv : new String[][] {{"fs.s3a.endpoint", endpoint}, {"fs.s3a.path.style.access", "true"},
        {"fs.s3a.access.key", KEY}, {"fs.s3a.secret.key", SECRET}, {"fs.s3a.connection.ssl.enabled", "false"},
        {"fs.s3a.endpoint.region", "us-east-1"}, {"fs.s3a.bucket.probe", "0"},
        {"fs.s3a.change.detection.mode", "none"},
        // S3Proxy answers 501 to the checksum headers of bulk deletes: one delete per object
        {"fs.s3a.multiobjectdelete.enable", "false"}}) {
      spark.sparkContext().hadoopConfiguration().set(kv[0], kv[1]);
      System.setProperty("spark.hadoop." + kv[0], kv[1]);
    }
  }

  @AfterAll
  void stopS3() throws Exception {
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("spark.hadoop.fs.s3a.")) {
        System.clearProperty(name);
      }
    }
    if (proxy != null) {
      proxy.stop();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void s3aInputConfigOutputsAndHistoryGiveTheLocalResults() throws Exception {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    FileSystem s3 = new Path("s3a://lake/").getFileSystem(conf);
    s3.copyFromLocalFile(new Path(new File("../datasets/example").getAbsolutePath()), new Path("s3a://lake/example"));
    s3.copyFromLocalFile(new Path(new File("../conf/example.conf").getAbsolutePath()),
        new Path("s3a://lake/conf/example.conf"));

    Pipeline.Result onS3 = Pipeline.run(spark, config("--config", "s3a://lake/conf/example.conf",
        "--input", "s3a://lake/example", "--output", "s3a://lake/isrank/run1",
        "--output.history", "s3a://lake/isrank/history", "--rank.bootstrap", "20"));
    Pipeline.Result onDisk = Pipeline.run(spark, config("--config", "../conf/example.conf",
        "--input", new File("../datasets/example").getAbsolutePath(), "--output", scratch.resolve("local").toString(),
        "--rank.bootstrap", "20"));
    assertEquals(onDisk.ranking(), onS3.ranking(), "the same rows, seed and partitions: the same numbers");
    for (String f : List.of("ranking.csv", "pairs.csv", "run.json", "report.html", "ranking", "pairs")) {
      assertTrue(s3.exists(new Path("s3a://lake/isrank/run1/" + f)), f);
    }
    try (var in = s3.open(new Path("s3a://lake/isrank/run1/run.json"))) {
      String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(json.contains("\"run_id\" : \"" + onS3.runId() + "\""));
      assertTrue(!json.contains(SECRET), "the secret key is masked in run.json's settings");
    }
    assertEquals(5, spark.read().parquet("s3a://lake/isrank/history/ranking").count());
    assertEquals(1, spark.read().parquet("s3a://lake/isrank/history/runs").count());
    assertTrue(!s3.exists(new Path("s3a://lake/isrank/history/_isrank_staging")), "no staging left in the bucket");
    assertEquals(1, s3.listStatus(new Path("s3a://lake/isrank")).length - 1, "run1 and history, no temporary folder");
  }
}
