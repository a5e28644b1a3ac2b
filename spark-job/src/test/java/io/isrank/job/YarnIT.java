package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged job submitted with {@code --master yarn}, through submit.sh and spark-submit, to a
 * MiniYARNCluster (a ResourceManager and a NodeManager in this JVM; the application master,
 * driver and executors in containers, separate JVMs) over a MiniDFSCluster (HDFS is the default
 * file system: Spark's staging, the input, the configuration file and the outputs live there),
 * in client and cluster deploy mode. The "Spark installation" is Spark's jars with spark-yarn
 * and the cluster's site file in HADOOP_CONF_DIR. The tables must equal an embedded local run's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class YarnIT {
  private static final File ROOT = new File("..").getAbsoluteFile();
  private MiniYARNCluster yarn;
  private org.apache.hadoop.hdfs.MiniDFSCluster dfs;
  private org.apache.hadoop.fs.FileSystem hdfs;
  private Path work;
  private Path sparkHome;
  private Path hadoopConf;

  @BeforeAll
  void startYarn() throws Exception {
    work = Files.createTempDirectory("isrank-yarn-it");
    Configuration dfsConf = new Configuration();
    dfsConf.set(org.apache.hadoop.hdfs.MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("dfs").toString());
    dfs = new org.apache.hadoop.hdfs.MiniDFSCluster.Builder(dfsConf).numDataNodes(1).build();
    dfs.waitActive();
    hdfs = dfs.getFileSystem();
    YarnConfiguration conf = new YarnConfiguration();
    conf.set("fs.defaultFS", hdfs.getUri().toString());
    conf.setInt(YarnConfiguration.NM_PMEM_MB, 6144);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 4096);
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    // a nearly full CI disk must not mark the only NodeManager unhealthy
    conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100f);
    conf.set("yarn.resourcemanager.hostname", "127.0.0.1");
    conf.set("yarn.nodemanager.hostname", "127.0.0.1");
    conf.setBoolean(YarnConfiguration.TIMELINE_SERVICE_ENABLED, false);
    // one queue, first come first served (the capacity scheduler wants a capacity-scheduler.xml)
    conf.set(YarnConfiguration.RM_SCHEDULER,
        "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
    yarn = new MiniYARNCluster("isrank", 1, 1, 1);
    yarn.init(conf);
    yarn.start();
    Configuration live = yarn.getConfig();
    for (int i = 0; i < 100 && live.get(YarnConfiguration.RM_ADDRESS, "").endsWith(":0"); i++) {
      Thread.sleep(100);
    }
    hadoopConf = Files.createDirectories(work.resolve("hadoop-conf"));
    for (String site : List.of("yarn-site.xml", "core-site.xml")) { // the live addresses, and HDFS as default
      try (OutputStream out = new FileOutputStream(hadoopConf.resolve(site).toFile())) {
        live.writeXml(out);
      }
    }

    // Spark's jars (as the embedded run's classpath lists them) and spark-yarn
    sparkHome = Files.createDirectories(work.resolve("spark-home"));
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    List<String> classpath = new ArrayList<>(List.of(Files.readString(Path.of("target",
        "embedded-classpath.txt")).trim().split(File.pathSeparator)));
    classpath.add(new File(org.apache.spark.deploy.yarn.Client.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI()).getPath());
    for (String jar : classpath) {
      Path p = Path.of(jar);
      // the metastore and object-store clients are not needed on YARN here
      boolean unused = List.of("/software/amazon/", "/org/apache/hive/", "/org/apache/derby/", "/org/datanucleus/",
          "/hadoop-aws/", "/spark-hive_").stream().anyMatch(jar::contains);
      if (!unused && !Files.exists(jars.resolve(p.getFileName()))) {
        Files.createSymbolicLink(jars.resolve(p.getFileName()), p);
      }
    }
    // as a cluster's admin would: Spark's jars once on HDFS (spark.yarn.jars), not uploaded per application
    for (File jar : jars.toFile().listFiles()) {
      hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(jar.getCanonicalPath()),
          new org.apache.hadoop.fs.Path("/spark/jars/" + jar.getName()));
    }
    Files.createDirectories(sparkHome.resolve("bin"));
    Path submit = sparkHome.resolve("bin").resolve("spark-submit");
    Files.writeString(submit, "#!/usr/bin/env bash\nexec java " + opens() + " -Xmx1g -cp '" + hadoopConf + ":"
        + jars + "/*' org.apache.spark.deploy.SparkSubmit \"$@\"\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterAll
  void stopYarn() throws Exception {
    if (yarn != null) {
      yarn.stop();
    }
    if (dfs != null) {
      dfs.shutdown();
    }
    if (Boolean.getBoolean("yarnit.keep")) {
      return;
    }
    try (var files = Files.walk(work)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static String opens() throws Exception {
    return Files.readAllLines(ROOT.toPath().resolve("conf/jvm.properties")).stream()
        .filter(l -> l.startsWith("java17.opens=")).findFirst().orElseThrow().substring("java17.opens=".length());
  }

  private int submit(String name, List<String> sparkOptions, List<String> job) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", new File(ROOT, "submit.sh").getPath()));
    cmd.addAll(sparkOptions);
    cmd.add("--");
    cmd.addAll(job);
    Path log = work.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("ISRANK_EMBEDDED");
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("HADOOP_CONF_DIR", hadoopConf.toString());
    Process p = pb.start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), name + " timed out");
    assertEquals(0, p.exitValue(), name + ":\n" + Files.readString(log));
    return p.exitValue();
  }

  private List<String> yarnOptions(String mode) {
    String javaHome = System.getProperty("java.home");
    return List.of("--master", "yarn", "--deploy-mode", mode,
        "--conf", "spark.yarn.jars=" + hdfs.getUri() + "/spark/jars/*",
        "--conf", "spark.executor.instances=1", "--conf", "spark.executor.memory=1g",
        "--conf", "spark.driver.memory=1g", "--conf", "spark.yarn.am.memory=512m",
        "--conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome,
        "--conf", "spark.executorEnv.JAVA_HOME=" + javaHome);
  }

  @Test
  void clientAndClusterModeOnYarnGiveTheLocalTables() throws Exception {
    String example = new File(ROOT, "datasets/example").getAbsolutePath();
    String config = new File(ROOT, "conf/example.conf").getAbsolutePath();
    String uri = hdfs.getUri().toString();
    hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(example), new org.apache.hadoop.fs.Path("/lake/example"));
    // where the client put it: a driver in a container reads it there too
    hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(config), new org.apache.hadoop.fs.Path("/lake/example.conf"));
    List<String> job = List.of("--config", uri + "/lake/example.conf", "--input", uri + "/lake/example",
        "--rank.bootstrap", "20");
    Path local = work.resolve("local");
    ProcessBuilder pb = new ProcessBuilder(cmdLocal(List.of("--config", config, "--input", example,
        "--rank.bootstrap", "20"), local)).directory(ROOT).redirectErrorStream(true)
        .redirectOutput(work.resolve("local.log").toFile());
    pb.environment().put("ISRANK_EMBEDDED", "1");
    Process p = pb.start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), Files.readString(work.resolve("local.log")));

    for (String mode : List.of("client", "cluster")) {
      String out = "/lake/isrank/yarn-" + mode;
      List<String> args = new ArrayList<>(job);
      args.addAll(List.of("--output", uri + out));
      submit("yarn-" + mode, yarnOptions(mode), args);
      for (String table : List.of("ranking.csv", "pairs.csv")) {
        assertEquals(ClusterIT.withoutRunId(Files.readString(local.resolve(table))),
            ClusterIT.withoutRunId(onHdfs(out + "/" + table)), mode + " mode: " + table);
      }
      String json = onHdfs(out + "/run.json");
      assertTrue(json.contains("\"master\" : \"yarn\""), json);
      assertTrue(json.contains("\"application_id\" : \"application_"), "a YARN application id");
    }
  }

  private String onHdfs(String path) throws java.io.IOException {
    try (var in = hdfs.open(new org.apache.hadoop.fs.Path(path))) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static List<String> cmdLocal(List<String> job, Path out) {
    List<String> cmd = new ArrayList<>(List.of("bash", new File(ROOT, "submit.sh").getPath(), "--master", "local[2]",
        "--"));
    cmd.addAll(job);
    cmd.addAll(List.of("--output", out.toString()));
    return cmd;
  }
}
