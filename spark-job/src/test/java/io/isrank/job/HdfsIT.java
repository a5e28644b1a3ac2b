package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Input read from and outputs written to a real HDFS (MiniDFSCluster: a NameNode and a DataNode
 * in this JVM, on loopback): the same numbers as with local files.
 */
class HdfsIT extends SparkTestBase {
  private MiniDFSCluster dfs;
  private FileSystem fs;

  @BeforeAll
  void startHdfs() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, scratch.resolve("dfs").toString());
    dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    dfs.waitActive();
    fs = dfs.getFileSystem();
  }

  @AfterAll
  void stopHdfs() {
    if (dfs != null) {
      dfs.shutdown();
    }
  }

  @Test
  void hdfsInputAndOutputGiveTheLocalResults() throws Exception {
    String uri = fs.getUri().toString();
    fs.copyFromLocalFile(new Path(new File("../datasets/example").getAbsolutePath()), new Path("/lake/example"));
    // the configuration too: a cluster-mode driver reads it where the client put it
    fs.copyFromLocalFile(new Path(new File("../conf/example.conf").getAbsolutePath()), new Path("/lake/conf/example.conf"));
    Pipeline.Result onHdfs = Pipeline.run(spark, config("--config", uri + "/lake/conf/example.conf",
        "--input", uri + "/lake/example", "--output", uri + "/lake/isrank/run1"));
    Pipeline.Result onDisk = Pipeline.run(spark, config("--config", "../conf/example.conf",
        "--input", new File("../datasets/example").getAbsolutePath(), "--output", scratch.resolve("local").toString()));
    assertEquals(onDisk.ranking(), onHdfs.ranking());
    assertEquals(onDisk.pairs(), onHdfs.pairs());
    for (String f : new String[] {"ranking.csv", "pairs.csv", "run.json", "report.html", "ranking", "pairs"}) {
      assertTrue(fs.exists(new Path("/lake/isrank/run1/" + f)), f);
    }
    try (var in = fs.open(new Path("/lake/isrank/run1/ranking.csv"))) {
      assertEquals(ClusterIT.withoutRunId(Files.readString(scratch.resolve("local").resolve("ranking.csv"))),
          ClusterIT.withoutRunId(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
    }
    assertTrue(fs.listStatus(new Path("/lake/isrank")).length == 1, "no temporary folder is left on HDFS");
  }

  @Test
  void aConfigFileMissingOnHdfsIsNamed() {
    String missing = fs.getUri() + "/lake/conf/missing.conf";
    io.isrank.error.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.isrank.error.ConfigException.class, () -> config("--config", missing, "--input", "x", "--output", "y"));
    assertEquals("config file '" + missing + "' does not exist or is not a file", e.getMessage());
  }
}
