package io.isrank.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.isrank.fit.FitDiagnostics;
import io.isrank.validate.ModelCounts;
import java.util.List;
import java.util.Map;

/**
 * run.json: what a run did, as typed records. Every key is a record component written in
 * snake_case (runId → run_id), in declaration order, so the file's keys are fixed by these types —
 * one key style, no string keys to mistype. Written last: its presence marks a complete output.
 *
 * @param status       "complete"
 * @param config       every resolved option, secrets masked
 * @param counts       per model, what validation found
 * @param fits         every fitted density, marginals first
 * @param comparedWith the earlier run compared with, or null (then absent)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunManifest(
    String runId,
    String status,
    String started,
    String finished,
    String isrankVersion,
    String isrankCommit,
    JavaInfo java,
    OsInfo os,
    SparkInfo spark,
    long seed,
    Map<String, Object> config,
    Input input,
    List<String> models,
    Map<String, ModelCounts> counts,
    long aligned,
    SplitInfo split,
    Map<String, Reduction> reduce,
    List<FitDiagnostics> fits,
    double resolutionCeilingNatsPerReducedDim,
    ComparedWith comparedWith,
    Map<String, Double> timingsSeconds,
    List<String> warnings) {

  public record JavaInfo(String version, String vendor) {
    public static JavaInfo current() {
      return new JavaInfo(System.getProperty("java.version"), System.getProperty("java.vendor"));
    }
  }

  public record OsInfo(String name, String arch, String version) {
    public static OsInfo current() {
      return new OsInfo(System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("os.version"));
    }
  }

  /** @param settings every setting of the session, secrets masked: what a rerun needs to match this one */
  public record SparkInfo(String version, String master, String applicationId, Map<String, Object> settings) {}

  public record Input(String path, String layout, Map<String, String> embeddingTypes, int files, long bytes,
      String fingerprint) {}

  public record SplitInfo(long fitRows, long evalRows, int fitPartitions, int evalPartitions) {}

  /** One model's reduction: its dimension, what it could keep, its cap, what it kept and why. */
  public record Reduction(int dim, int availableDims, int cap, int reducedDim, double explainedVariance, String why) {}

  public record ComparedWith(String runId, String source, boolean inputChanged, boolean informativenessComparable,
      long kept, long added, long removed, List<String> notes) {}

  /** The manifest as indented JSON with snake_case keys. */
  public String toJson() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).writeValueAsString(this);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("run.json cannot be written: " + e.getMessage(), e);
    }
  }
}
