package io.isrank.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secrets never reach what isrank writes or logs. No Spark needed. */
class RedactionTest {
  @Test
  void userInfoInUrisIsMasked() {
    assertEquals("s3a://<redacted>@bucket/lake/emb", Redaction.text("s3a://AKIAEXAMPLE:wJalr/XUtnFEMI+K7@bucket/lake/emb"));
    assertEquals("read 'hdfs://<redacted>@nn:8020/x' and https://<redacted>@h/p",
        Redaction.text("read 'hdfs://alice@nn:8020/x' and https://u:p@h/p"));
  }

  @Test
  void pathsWithoutCredentialsAreUnchanged() {
    for (String s : List.of("hdfs://nn/data/user@x/part", "file:/tmp/out", "s3a://bucket/a@b", "plain text",
        "/local/path")) {
      assertEquals(s, Redaction.text(s));
    }
  }

  @Test
  void ambiguousAuthoritiesAreMaskedOnTheSafeSide() {
    // S3 secrets may contain '/', so "host:8020/path@x" cannot be told from "user:pass@x": masked
    assertEquals("hdfs://<redacted>@x/part", Redaction.text("hdfs://nn:8020/data/user@x/part"));
  }

  @Test
  void secretQueryParametersLoseTheirValues() {
    assertEquals("https://h/o?X-Amz-Signature=<redacted>&size=3",
        Redaction.text("https://h/o?X-Amz-Signature=abc123&size=3"));
    assertEquals("abfs://c/p?sv=1&token=<redacted>", Redaction.text("abfs://c/p?sv=1&token=zzz"));
  }

  @Test
  void settingsWithSecretNamesShowOnlyTheirNames() {
    Map<String, Object> shown = Redaction.settings(Map.of(
        "spark.hadoop.fs.s3a.secret.key", "TOPSECRET",
        "spark.hadoop.fs.s3a.access.key", "AKIA",
        "spark.authenticate.secret", "s",
        "spark.ssl.keyStorePassword", "pw",
        "spark.hadoop.fs.azure.sas.token", "t",
        "spark.hadoop.google.cloud.auth.service.account.json.keyfile", "/k.json",
        "input.path", "s3a://AK:SK@b/p",
        "rank.sources", List.of("a", "s3a://x:y@b/c"),
        "seed", 42L));
    assertEquals(Redaction.MASK, shown.get("spark.hadoop.fs.s3a.secret.key"));
    assertEquals(Redaction.MASK, shown.get("spark.hadoop.fs.s3a.access.key"));
    assertEquals(Redaction.MASK, shown.get("spark.authenticate.secret"));
    assertEquals(Redaction.MASK, shown.get("spark.ssl.keyStorePassword"));
    assertEquals(Redaction.MASK, shown.get("spark.hadoop.fs.azure.sas.token"));
    assertEquals(Redaction.MASK, shown.get("spark.hadoop.google.cloud.auth.service.account.json.keyfile"));
    assertEquals("s3a://<redacted>@b/p", shown.get("input.path"));
    assertEquals(List.of("a", "s3a://<redacted>@b/c"), shown.get("rank.sources"));
    assertEquals(42L, shown.get("seed"));
    assertFalse(shown.toString().contains("TOPSECRET") || shown.toString().contains("SK@"));
  }

  @Test
  void stackTracesAreRedacted() {
    Exception e = new IllegalStateException("cannot read s3a://AK:SECRETVALUE@b/p",
        new java.io.IOException("at https://u:SECRETVALUE@h/"));
    String trace = Redaction.stackTrace(e);
    assertFalse(trace.contains("SECRETVALUE"), trace);
    assertTrue(trace.contains("Caused by") && trace.contains("<redacted>"), trace);
  }

  @Test
  void theShippedLogPatternMasksCredentialsInEveryLine() throws Exception {
    java.util.Properties props = new java.util.Properties();
    try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("../conf/log4j2.properties"))) {
      props.load(in);
    }
    var layout = org.apache.logging.log4j.core.layout.PatternLayout.newBuilder()
        .withPattern(props.getProperty("appender.console.layout.pattern"))
        .withAlwaysWriteExceptions(false).build();
    var event = org.apache.logging.log4j.core.impl.Log4jLogEvent.newBuilder().setLoggerName("org.apache.spark.X")
        .setLevel(org.apache.logging.log4j.Level.WARN)
        .setMessage(new org.apache.logging.log4j.message.SimpleMessage("listing s3a://AKIA:SECRETVALUE@bucket/p"))
        .setThrown(new java.io.IOException("denied for s3a://AKIA:SECRETVALUE@bucket/p")).build();
    String line = layout.toSerializable(event);
    assertFalse(line.contains("SECRETVALUE"), line);
    assertTrue(line.contains("listing s3a://<redacted>@bucket/p") && line.contains("IOException"), line);
  }
}
