package io.isrank.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Row counts from Parquet footers, read by the driver: for a partitioned input each model's rows
 * are the sum of its files' row counts, without a Spark job (on a small input the job's scheduling
 * costs more than the footers).
 */
final class ParquetFooters {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("io.isrank");
  /** Footers read at once: object stores answer each in tens of milliseconds. */
  static final int THREADS = 16;

  private ParquetFooters() {}

  /**
   * @param filesByModel each model's Parquet files
   * @return rows per model, or empty when a footer cannot be read (the caller counts otherwise)
   */
  static Optional<Map<String, Long>> rowCounts(Map<String, List<String>> filesByModel, Configuration conf) {
    List<String> models = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    filesByModel.forEach((model, files) -> files.forEach(f -> {
      models.add(model);
      paths.add(f);
    }));
    if (paths.isEmpty()) {
      return Optional.empty();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, paths.size()), r -> {
      Thread t = new Thread(r, "isrank-parquet-footers");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Long>> counts = new ArrayList<>();
      for (String p : paths) {
        counts.add(pool.submit(() -> {
          try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(p), conf))) {
            return reader.getRecordCount();
          }
        }));
      }
      Map<String, Long> out = new LinkedHashMap<>();
      filesByModel.keySet().forEach(m -> out.put(m, 0L));
      for (int i = 0; i < paths.size(); i++) {
        out.merge(models.get(i), counts.get(i).get(), Long::sum);
      }
      return Optional.of(out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (java.util.concurrent.ExecutionException e) {
      // not a Parquet file Spark would read, or unreadable: let Spark count (and report what it finds)
      LOG.info("load: rows per model not read from the Parquet footers ({}); counting them with Spark",
          io.isrank.runtime.Redaction.text(String.valueOf(e.getCause())));
      return Optional.empty();
    } finally {
      pool.shutdownNow();
    }
  }
}
