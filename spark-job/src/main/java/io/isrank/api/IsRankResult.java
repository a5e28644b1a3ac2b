package io.isrank.api;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What {@link IsRank#rank} returns: the ranking and pairs tables as DataFrames (the columns of
 * ranking.csv and pairs.csv, led by run_id), the comparison with the history's last run (null
 * without history or an earlier run), and the run's metadata.
 *
 * @param runId    the run's id, as in every table
 * @param output   the output folder written, or null when none was asked for
 * @param warnings what the run warned about (also logged)
 * @param timings  seconds per stage
 */
public record IsRankResult(String runId, Dataset<Row> ranking, Dataset<Row> pairs, Dataset<Row> comparison,
    String output, List<String> warnings, Map<String, Double> timings) {}
