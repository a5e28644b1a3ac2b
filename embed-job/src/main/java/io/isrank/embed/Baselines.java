package io.isrank.embed;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.CountVectorizer;
import org.apache.spark.ml.feature.CountVectorizerModel;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.StopWordsRemover;
import org.apache.spark.ml.feature.Word2Vec;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The classical baselines, computed from the corpus with Spark MLlib and nothing downloaded:
 * TF-IDF reduced by truncated SVD (latent semantic analysis), Word2Vec trained on the corpus and
 * averaged over a text's words, and a random-noise control that carries no information about the
 * texts at all (isrank must rank it last).
 */
final class Baselines {
  private Baselines() {}

  /** Lower-cased word tokens without English stop words, in column {@code words}. */
  private static List<PipelineStage> words() {
    List<PipelineStage> stages = new ArrayList<>();
    stages.add(new RegexTokenizer().setInputCol("text").setOutputCol("tokens").setPattern("[^\\p{L}\\p{N}]+")
        .setToLowercase(true).setMinTokenLength(2));
    stages.add(new StopWordsRemover().setInputCol("tokens").setOutputCol("words"));
    return stages;
  }

  /**
   * TF-IDF over the {@code vocabulary} most frequent words (in at least two texts), then the top
   * {@code d} right singular vectors of the TF-IDF matrix X, found by randomized subspace
   * iteration on XᵀX (one Spark pass per iteration, partition sums added in partition order so
   * the basis does not depend on scheduling); a text's embedding is its TF-IDF row projected on
   * them (x·V, the LSA document coordinates U·Σ).
   */
  static Dataset<Row> tfidfLsa(Dataset<Row> corpus, int d, int vocabulary, long seed) {
    List<PipelineStage> stages = words();
    stages.add(new CountVectorizer().setInputCol("words").setOutputCol("tf").setVocabSize(vocabulary).setMinDF(2));
    stages.add(new IDF().setInputCol("tf").setOutputCol("tfidf"));
    PipelineModel model = new Pipeline().setStages(stages.toArray(new PipelineStage[0])).fit(corpus);
    Dataset<Row> tfidf = model.transform(corpus).select(col("id"), col("tfidf")).cache();
    JavaRDD<SparseVector> rows = tfidf.toJavaRDD().map(r -> ((Vector) r.get(1)).toSparse()).cache();
    int columns = ((CountVectorizerModel) model.stages()[2]).vocabulary().length;
    if (columns < 2) {
      throw new io.isrank.error.InputException("tfidf-lsa: the corpus has " + columns
          + " words that occur in two or more texts; it needs at least 2");
    }
    int k = Math.min(d, columns - 1);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(corpus.sparkSession().sparkContext());
    double[][] basis = SubspaceIteration.topEigenvectors(columns, k, 16, 6, seed, q -> gramTimes(jsc, rows, q));
    rows.unpersist();
    float[] flat = new float[columns * k];
    for (int i = 0; i < columns; i++) {
      for (int j = 0; j < k; j++) {
        flat[i * k + j] = (float) basis[i][j];
      }
    }
    Broadcast<float[]> b = jsc.broadcast(flat);
    return tfidf.map((MapFunction<Row, Row>) r -> {
      float[] v = b.value();
      float[] e = new float[k];
      SparseVector x = ((Vector) r.get(1)).toSparse();
      int[] idx = x.indices();
      double[] val = x.values();
      for (int t = 0; t < idx.length; t++) {
        int off = idx[t] * k;
        for (int j = 0; j < k; j++) {
          e[j] += (float) (val[t] * v[off + j]);
        }
      }
      return RowFactory.create(r.getLong(0), e);
    }, Encoders.row(EmbedJob.OUTPUT_SCHEMA));
  }

  /** XᵀX·Q for an n × l block Q: one pass, Σ_rows xᵀ(x·Q), partition sums added in partition order. */
  private static double[][] gramTimes(JavaSparkContext jsc, JavaRDD<SparseVector> rows, double[][] q) {
    int n = q.length;
    int l = q[0].length;
    double[] flat = new double[n * l];
    for (int i = 0; i < n; i++) {
      System.arraycopy(q[i], 0, flat, i * l, l);
    }
    Broadcast<double[]> b = jsc.broadcast(flat);
    List<double[]> parts = rows.mapPartitions((FlatMapFunction<Iterator<SparseVector>, double[]>) it -> {
      double[] qv = b.value();
      double[] w = new double[n * l];
      double[] t = new double[l];
      while (it.hasNext()) {
        SparseVector x = it.next();
        int[] idx = x.indices();
        double[] val = x.values();
        java.util.Arrays.fill(t, 0);
        for (int s = 0; s < idx.length; s++) {
          int off = idx[s] * l;
          for (int j = 0; j < l; j++) {
            t[j] += val[s] * qv[off + j];
          }
        }
        for (int s = 0; s < idx.length; s++) {
          int off = idx[s] * l;
          for (int j = 0; j < l; j++) {
            w[off + j] += val[s] * t[j];
          }
        }
      }
      return List.of(w).iterator();
    }).collect();
    b.destroy();
    double[][] out = new double[n][l];
    for (double[] w : parts) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < l; j++) {
          out[i][j] += w[i * l + j];
        }
      }
    }
    return out;
  }

  /** Word2Vec (skip-gram, MLlib) trained on the corpus's words; a text is the mean of its word vectors. */
  static Dataset<Row> word2vec(Dataset<Row> corpus, int d, long seed) {
    List<PipelineStage> stages = words();
    stages.add(new Word2Vec().setInputCol("words").setOutputCol("w2v").setVectorSize(d).setMinCount(2)
        .setWindowSize(5).setMaxIter(3).setNumPartitions(1).setSeed(seed));
    PipelineModel model = new Pipeline().setStages(stages.toArray(new PipelineStage[0])).fit(corpus);
    return model.transform(corpus).select(col("id"), col("w2v")).map(
        (MapFunction<Row, Row>) r -> {
          double[] x = ((Vector) r.get(1)).toArray();
          float[] e = new float[x.length];
          for (int j = 0; j < x.length; j++) {
            e[j] = (float) x[j];
          }
          return RowFactory.create(r.getLong(0), e);
        }, Encoders.row(EmbedJob.OUTPUT_SCHEMA));
  }

  /** The control: d standard normal numbers per item from a generator seeded by (seed, id). */
  static Dataset<Row> noise(Dataset<Row> corpus, int d, long seed) {
    return corpus.select(col("id")).map((MapFunction<Row, Row>) r -> {
      long id = r.getLong(0);
      SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ id);
      float[] e = new float[d];
      for (int j = 0; j < d; j++) {
        e[j] = (float) random.nextGaussian();
      }
      return RowFactory.create(id, e);
    }, Encoders.row(EmbedJob.OUTPUT_SCHEMA));
  }
}
