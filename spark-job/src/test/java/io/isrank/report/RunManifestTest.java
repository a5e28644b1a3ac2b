package io.isrank.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** run.json is an interface: its keys, their style and their order are fixed by the manifest's types. */
class RunManifestTest {

  private static RunManifest manifest(RunManifest.ComparedWith compared) {
    return new RunManifest("r1", "complete", "2026-12-02T10:00:00Z", "2026-12-02T10:01:00Z", "0.1.0", "abc",
        new RunManifest.JavaInfo("17", "v"), new RunManifest.OsInfo("Linux", "amd64", "6"),
        new RunManifest.SparkInfo("4.2.0", "local[*]", "app-1", Map.of("spark.app.name", "isrank")), 42,
        Map.of("seed", 42), new RunManifest.Input("in", "long", Map.of("a", "array<float>"), 3, 1000, "fp"),
        List.of("a", "b"), Map.of(), 100, new RunManifest.SplitInfo(50, 50, 1, 1),
        Map.of("a", new RunManifest.Reduction(8, 8, 8, 4, 0.9, "why")), List.of(), 1.5, compared,
        Map.of("load", 0.1), List.of());
  }

  private static List<String> keys(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void keysAreSnakeCaseInAFixedOrderAndAnAbsentComparisonIsLeftOut() throws Exception {
    JsonNode json = new ObjectMapper().readTree(manifest(null).toJson());
    assertEquals(List.of("run_id", "status", "started", "finished", "isrank_version", "isrank_commit", "java", "os",
        "spark", "seed", "config", "input", "models", "counts", "aligned", "split", "reduce", "fits",
        "resolution_ceiling_nats_per_reduced_dim", "timings_seconds", "warnings"), keys(json));
    assertEquals(List.of("fit_rows", "eval_rows", "fit_partitions", "eval_partitions"), keys(json.get("split")));
    assertEquals(List.of("version", "master", "application_id", "settings"), keys(json.get("spark")));
    assertEquals(List.of("path", "layout", "embedding_types", "files", "bytes", "fingerprint"), keys(json.get("input")));
    assertEquals(List.of("dim", "available_dims", "cap", "reduced_dim", "explained_variance", "why"),
        keys(json.get("reduce").get("a")));
    assertFalse(json.has("compared_with"));
  }

  @Test
  void aComparisonIsWrittenWithItsOwnSnakeCaseKeys() throws Exception {
    JsonNode json = new ObjectMapper().readTree(manifest(new RunManifest.ComparedWith("r0", "history", false, true,
        2, 0, 0, List.of("note"))).toJson());
    assertEquals(List.of("run_id", "source", "input_changed", "informativeness_comparable", "kept", "added", "removed",
        "notes"), keys(json.get("compared_with")));
  }
}
