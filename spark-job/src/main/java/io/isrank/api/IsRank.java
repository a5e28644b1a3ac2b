package io.isrank.api;

import io.isrank.job.Cli;
import io.isrank.job.Pipeline;
import io.isrank.job.RunConfig;
import io.isrank.report.Comparison;
import io.isrank.report.PairRow;
import io.isrank.report.RankingRow;
import io.isrank.report.Tables;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * isrank from code: rank the models whose embeddings are in a DataFrame, in this Spark
 * application, without writing files.
 *
 * <pre>{@code
 * // Java or Scala
 * IsRankResult r = IsRank.rank(embeddings, new IsRankOptions().seed(7));
 * r.ranking().show();
 *
 * # PySpark, through the JVM gateway
 * jvm = spark.sparkContext._jvm
 * r = jvm.io.isrank.api.IsRank.rank(df._jdf, jvm.io.isrank.api.IsRankOptions().seed(7))
 * DataFrame(r.ranking(), spark).show()
 * }</pre>
 *
 * The DataFrame is in the long layout: one row per (item, model) with an id column, a model
 * column and an embedding column (array of float or double), named as in {@link IsRankOptions}.
 * The run is the command line's: the same validation, estimator, seed-determined results and
 * errors ({@link io.isrank.error.IsrankException} for bad input or options).
 */
public final class IsRank {
  private IsRank() {}

  public static IsRankResult rank(Dataset<Row> embeddings, IsRankOptions options) {
    Map<String, String> settings = new LinkedHashMap<>(options.settings());
    settings.putIfAbsent("input.path", "DataFrame"); // names the input in messages; nothing is read from it
    settings.putIfAbsent("input.metadata", "none"); // no folder to find _models.csv in; a path may be given
    RunConfig cfg = Cli.fromSettings(settings, false);
    SparkSession spark = embeddings.sparkSession();
    Pipeline.Result r = Pipeline.run(spark, cfg, embeddings);
    Dataset<Row> comparison = r.comparison() == null ? null
        : Tables.withRunId(Tables.dataFrame(spark, "comparison", Comparison.Row.class, r.comparison().rows()), r.runId());
    return new IsRankResult(r.runId(),
        Tables.withRunId(Tables.dataFrame(spark, "ranking", RankingRow.class, r.ranking()), r.runId()),
        Tables.withRunId(Tables.dataFrame(spark, "pairs", PairRow.class, r.pairs()), r.runId()),
        comparison, r.output() == null ? null : r.output().toString(), r.warnings(), r.timings());
  }
}
