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
 * are the sum of its files' row counts; for the long layout they are estimated from the model
 * column's dictionaries; either without a Spark job (on a small input the job's scheduling costs
 * more than the footers).
 */
final class ParquetFooters {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("io.isrank");
  /** Footers read at once: object stores answer each in tens of milliseconds. */
  static final int THREADS = 16;
  /**
   * The most files whose footers the driver reads; beyond this the executors, reading in
   * parallel, count sooner (10,000 files at 16 at a time and ~30 ms a request is 20 s or more).
   */
  static final int MAX_FILES = 2_000;

  private ParquetFooters() {}

  /**
   * Rows per model of long-layout files, from their footers and each row group's dictionary of the
   * model column: a row group whose dictionary holds one name counts exactly, one with several
   * shares its (non-null) rows equally among them — an estimate for sizing, exact when each row
   * group holds one model or the models are interleaved evenly.
   *
   * @param files  the Parquet files
   * @param column the model column (a top-level UTF-8 string column)
   * @return estimated rows per model, or empty when a file cannot be read or a row group's model
   *     column is not dictionary-encoded (the caller counts otherwise)
   */
  static Optional<Map<String, Long>> modelRows(List<String> files, String column, Configuration conf) {
    return perFile(files, f -> modelRows(f, column, conf), "estimated").flatMap(parts -> {
      Map<String, Double> sums = new java.util.TreeMap<>();
      for (Map<String, Double> m : parts) {
        if (m == null) {
          return Optional.empty(); // a file without a dictionary-encoded model column
        }
        m.forEach((k, v) -> sums.merge(k, v, Double::sum));
      }
      Map<String, Long> out = new LinkedHashMap<>();
      sums.forEach((k, v) -> out.put(k, Math.round(v)));
      return Optional.of(out);
    });
  }

  /** What a file's footer tells, read by {@link #perFile}. */
  private interface FooterRead<T> {
    T read(String file) throws IOException;
  }

  /**
   * {@code read} of every file, {@link #THREADS} at a time, in the files' order; empty when there
   * are more than {@link #MAX_FILES} files, when one fails (logged: Spark then counts, and reports
   * what it finds) or when the thread is interrupted.
   */
  private static <T> Optional<List<T>> perFile(List<String> files, FooterRead<T> read, String what) {
    if (files.isEmpty() || files.size() > MAX_FILES) {
      return Optional.empty();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, files.size()), r -> {
      Thread t = new Thread(r, "isrank-parquet-footers");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (String f : files) {
        futures.add(pool.submit(() -> read.read(f)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return Optional.of(out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (java.util.concurrent.ExecutionException e) {
      // not a Parquet file Spark would read, or unreadable: let Spark count (and report what it finds)
      LOG.info("load: rows per model not {} from the Parquet footers ({}); counting them with Spark", what,
          io.isrank.runtime.Redaction.text(String.valueOf(e.getCause())));
      return Optional.empty();
    } finally {
      pool.shutdownNow();
    }
  }

  /** One file's rows per model (see {@link #modelRows(List, String, Configuration)}), or null. */
  private static Map<String, Double> modelRows(String file, String column, Configuration conf) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file), conf))) {
      org.apache.parquet.schema.MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      if (!schema.containsPath(new String[] {column})) {
        return null;
      }
      org.apache.parquet.column.ColumnDescriptor desc = schema.getColumnDescription(new String[] {column});
      if (desc.getPrimitiveType().getPrimitiveTypeName()
          != org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY) {
        return null;
      }
      Map<String, Double> out = new LinkedHashMap<>();
      for (org.apache.parquet.hadoop.metadata.BlockMetaData block : reader.getRowGroups()) {
        org.apache.parquet.hadoop.metadata.ColumnChunkMetaData chunk = block.getColumns().stream()
            .filter(c -> c.getPath().toDotString().equals(column)).findFirst().orElse(null);
        if (chunk == null || block.getRowCount() == 0) {
          continue;
        }
        org.apache.parquet.column.page.DictionaryPageReadStore store = reader.getDictionaryReader(block);
        org.apache.parquet.column.page.DictionaryPage page = store.readDictionaryPage(desc);
        if (page == null) {
          return null; // not dictionary-encoded: no cheap way to tell the models apart
        }
        org.apache.parquet.column.Dictionary dictionary = page.getEncoding().initDictionary(desc, page);
        int names = dictionary.getMaxId() + 1;
        long nulls = chunk.getStatistics() == null || chunk.getStatistics().isEmpty() ? 0
            : Math.max(0, chunk.getStatistics().getNumNulls());
        double each = (double) (block.getRowCount() - nulls) / names;
        for (int i = 0; i < names; i++) {
          out.merge(dictionary.decodeToBinary(i).toStringUsingUTF8(), each, Double::sum);
        }
      }
      return out;
    }
  }

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
    return perFile(paths, p -> {
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(p), conf))) {
        return reader.getRecordCount();
      }
    }, "read").map(counts -> {
      Map<String, Long> out = new LinkedHashMap<>();
      filesByModel.keySet().forEach(m -> out.put(m, 0L));
      for (int i = 0; i < paths.size(); i++) {
        out.merge(models.get(i), counts.get(i), Long::sum);
      }
      return out;
    });
  }
}
