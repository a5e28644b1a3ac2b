package io.isrank.reduce;

import static org.apache.spark.sql.functions.col;

import io.isrank.error.InputException;
import io.isrank.load.EmbeddingSource;
import io.isrank.load.InternalRows;
import io.isrank.math.CovarianceSums;
import io.isrank.math.MarginalGaussianisation;
import io.isrank.math.MeanSums;
import io.isrank.math.ModelReduction;
import io.isrank.math.Whitening;
import io.isrank.reduce.ReduceConfig;
import io.isrank.runtime.SafeText;
import io.isrank.runtime.PartitionOrder;
import io.isrank.runtime.Progress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Fits each model's reduction on the fit sample: optional per-coordinate normal scores
 * ({@link MarginalGaussianisation}), then centring, PCA and whitening ({@link Whitening}).
 *
 * <p>The fit rows are put in a canonical layout ({@link FitSample}: hash-partitioned by split key
 * into a number of partitions that depends only on the row count, each model's rows in key order
 * within) so every partition's floating-point sums are the same on any cluster; the driver adds
 * the partitions' sums in partition order.
 * Two passes: the means, then the covariances about them (no cancellation for data far from 0).
 */
public final class Reducer {
  private Reducer() {}

  /**
   * The fit sample's rows (model, id, embedding, h) read from the input: a scan that keeps the
   * rows whose key is one of the fit sample's (sorted, broadcast), copied out of Spark's reused row
   * buffer; no join, no shuffle of the other rows. For when the validation scan did not keep them
   * ({@link io.isrank.validate.FitCandidates}).
   *
   * @param valid   validated (model, id, embedding) rows
   * @param seed    the split key's seed
   * @param fitKeys the fit sample's split keys, ascending
   */
  public static InternalRows.Table scanFitRows(Dataset<Row> valid, long seed, long[] fitKeys) {
    Dataset<Row> keyed = valid.select(col(EmbeddingSource.MODEL), col(EmbeddingSource.ID),
        col(EmbeddingSource.EMBEDDING), EmbeddingSource.itemKey(seed).as(EmbeddingSource.KEY));
    Broadcast<long[]> keys = JavaSparkContext.fromSparkContext(valid.sparkSession().sparkContext())
        .broadcast(fitKeys);
    JavaRDD<InternalRow> kept = keyed.queryExecution().toRdd().toJavaRDD()
        .mapPartitions(it -> new FitRowFilter(it, keys.value()));
    return new InternalRows.Table(kept, keyed.schema());
  }

  /**
   * The reductions, and the fit sample in its canonical layout ({@link FitSample}), persisted:
   * later work on fit rows (the choice of directions) reads it instead of the input. The caller
   * closes {@code sample}.
   */
  public record Fitted(Map<String, ModelReduction> reductions, FitSample sample) {}

  /**
   * @param sample     the fit sample in its canonical layout ({@link FitSample#of}); closed here
   *                   on failure, else by the caller after the choice of directions
   * @param maxDims    the most directions each model's whitening keeps
   * @param rowsSummed counts the rows of the covariance pass as tasks go (the stage's progress log)
   * @return whitening per model, in {@code models} order
   */
  public static Fitted fit(FitSample sample, List<String> models, ReduceConfig cfg, int maxDims,
      LongAccumulator rowsSummed) {
    String[] names = models.toArray(new String[0]);
    try {
      Map<String, MarginalGaussianisation> scores = cfg.gaussianise() ? normalScores(sample, names) : Map.of();
      MarginalGaussianisation[] byModel = new MarginalGaussianisation[names.length];
      for (int i = 0; i < names.length; i++) {
        byModel[i] = scores.get(names[i]);
      }
      // Each model's rows of a partition are one block of primitives, in split-key order.
      JavaRDD<FitSample.Block> blocks = sample.blocks();
      Map<String, double[]> means = new HashMap<>();
      PartitionOrder.foldByKey(blocks.mapPartitionsWithIndex((Integer index, Iterator<FitSample.Block> it) -> {
        Map<String, MeanSums> sums = new HashMap<>();
        while (it.hasNext()) {
          FitSample.Block b = it.next();
          MeanSums s = new MeanSums(b.dim);
          double[] x = new double[b.dim];
          for (int r = 0; r < b.rows(); r++) {
            s.add(transformed(byModel[b.model], b, r, x));
          }
          sums.put(names[b.model], s);
        }
        return List.of(new Tuple2<>(index, sums)).iterator();
      }, true).collect(), MeanSums::merge).forEach((model, s) -> means.put(model, s.mean()));
      Map<String, CovarianceSums> second = PartitionOrder.foldByKey(blocks.mapPartitionsWithIndex(
          (Integer index, Iterator<FitSample.Block> it) -> {
            Map<String, CovarianceSums> sums = new HashMap<>();
            while (it.hasNext()) {
              FitSample.Block b = it.next();
              Blocked blocked = new Blocked(means.get(names[b.model]));
              double[] x = new double[b.dim];
              for (int r = 0; r < b.rows(); r++) {
                blocked.add(transformed(byModel[b.model], b, r, x));
              }
              rowsSummed.add(b.rows());
              sums.put(names[b.model], blocked.finish());
            }
            return List.of(new Tuple2<>(index, sums)).iterator();
          }, true).collect(), CovarianceSums::merge);
      Map<String, ModelReduction> out = new LinkedHashMap<>();
      Progress whitened = new Progress("stage reduce: eigen-decomposition", models.size());
      for (String model : models) {
        CovarianceSums s = second.get(model);
        if (s == null || s.count() < 2) {
          throw new InputException("model '" + model + "' has " + (s == null ? 0 : s.count())
              + " rows in the fit sample; it needs at least 2");
        }
      }
      // The models' eigen-decompositions are independent: on the driver's cores in parallel
      // (about 0.3 s each at 384 dimensions), each one's result the same as alone.
      List<Whitening> fitted = models.parallelStream().map(model -> {
        CovarianceSums s = second.get(model);
        Whitening w = Whitening.fit(s.mean(), s.covariance(), maxDims, cfg.minVarianceRatio());
        whitened.step(SafeText.printable(model) + ", " + w.originalDim() + " dims");
        return w;
      }).toList();
      for (int i = 0; i < models.size(); i++) {
        String model = models.get(i);
        Whitening w = fitted.get(i);
        if (w.reducedDim() == 0) {
          throw new InputException("model '" + model + "' has zero variance: its " + second.get(model).count()
              + " fit-sample embeddings are all the same vector, so it carries no information to rank");
        }
        out.put(model, new ModelReduction(scores.get(model), w));
      }
      return new Fitted(out, sample);
    } catch (RuntimeException e) {
      sample.close();
      throw e;
    }
  }

  /** Keeps the rows (model, id, embedding, h) whose key h is in a sorted array, as copies. */
  private static final class FitRowFilter implements Iterator<InternalRow> {
    private final Iterator<InternalRow> in;
    private final long[] sorted;
    private InternalRow next;

    FitRowFilter(Iterator<InternalRow> in, long[] sorted) {
      this.in = in;
      this.sorted = sorted;
    }

    @Override
    public boolean hasNext() {
      while (next == null && in.hasNext()) {
        InternalRow r = in.next();
        if (java.util.Arrays.binarySearch(sorted, r.getLong(3)) >= 0) {
          next = r.copy();
        }
      }
      return next != null;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      InternalRow r = next;
      next = null;
      return r;
    }
  }

  /**
   * Rows per block of the covariance pass: a multiple of 4, so the four-row groups — and the sums —
   * are the same for any block size; larger blocks stream the packed triangle (71 MB at 4,224
   * dimensions) through memory fewer times.
   */
  static final int BLOCK_ROWS = 256;

  /**
   * One model's covariance sums, fed in blocks of {@link #BLOCK_ROWS} rows through the rank-4
   * update ({@link CovarianceSums#addRows}), several times faster than row by row. The blocks
   * follow the rows' canonical order, so the sums are the same on any cluster.
   */
  private static final class Blocked {
    private final CovarianceSums sums;
    private double[] buffer;
    private int filled;

    Blocked(double[] shift) {
      this.sums = new CovarianceSums(shift);
    }

    void add(double[] x) {
      if (buffer == null) {
        buffer = new double[BLOCK_ROWS * x.length];
      }
      System.arraycopy(x, 0, buffer, filled * x.length, x.length);
      if (++filled == BLOCK_ROWS) {
        sums.addRows(buffer, filled);
        filled = 0;
      }
    }

    CovarianceSums finish() {
      sums.addRows(buffer == null ? new double[0] : buffer, filled);
      filled = 0;
      return sums;
    }
  }

  /** Row r of a block as doubles in {@code x}, as normal scores when those are on ({@code g} not null). */
  private static double[] transformed(MarginalGaussianisation g, FitSample.Block b, int r, double[] x) {
    b.row(r, x);
    if (g != null) {
      g.apply(x, x);
    }
    return x;
  }

  /**
   * Per model, one task sorts each coordinate of the model's fit rows and keeps the quantile knots
   * of its normal-score map. The knots depend on the set of values only, not on their order.
   */
  private static Map<String, MarginalGaussianisation> normalScores(FitSample sample, String[] names) {
    return new HashMap<>(sample.blocks()
        .mapToPair(b -> {
          double[][] rows = new double[b.rows()][];
          for (int r = 0; r < rows.length; r++) {
            rows[r] = new double[b.dim];
            b.row(r, rows[r]);
          }
          return new Tuple2<>(names[b.model], rows);
        })
        .groupByKey(Math.max(1, names.length))
        .mapValues(parts -> {
          List<double[]> list = new ArrayList<>();
          parts.forEach(p -> list.addAll(java.util.Arrays.asList(p)));
          int d = list.get(0).length;
          double[][] columns = new double[d][list.size()];
          for (int i = 0; i < list.size(); i++) {
            double[] x = list.get(i);
            for (int j = 0; j < d; j++) {
              columns[j][i] = x[j];
            }
          }
          return MarginalGaussianisation.fit(columns, KNOTS);
        })
        .collectAsMap());
  }

  /** Quantile knots kept per coordinate for the normal scores. */
  static final int KNOTS = 1024;
}
