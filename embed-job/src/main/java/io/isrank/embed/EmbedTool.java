package io.isrank.embed;

import io.isrank.error.ConfigException;
import io.isrank.error.IsrankException;
import io.isrank.probe.ProbeJob;
import io.isrank.runtime.Sessions;
import io.isrank.runtime.UserErrors;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The real-data tools beside the isrank job: {@code corpus} (build the WordNet example texts),
 * {@code embed} (run embedding models over a texts table in Spark) and {@code probe} (check an
 * isrank ranking against labelled downstream tasks). Exit codes as the job's: 0 done, 2 user
 * error, 1 unexpected failure.
 */
@Command(name = "isrank-embed", mixinStandardHelpOptions = true, subcommands = {EmbedTool.Corpus.class,
    EmbedTool.Embed.class, EmbedTool.Probe.class},
    description = "Real embeddings for isrank: build a corpus, embed it with several models, probe the ranking.")
public final class EmbedTool {
  private EmbedTool() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs a command and returns its exit code (for tests). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new EmbedTool());
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      IsrankException user = UserErrors.userCause(e);
      if (user != null) {
        err.println("isrank: error: " + user.getMessage());
        return 2;
      }
      err.println("isrank: unexpected failure: " + e);
      e.printStackTrace(err);
      return 1;
    });
    if (args.length == 0) {
      cli.usage(out);
      return 2;
    }
    return cli.execute(args);
  }

  @Command(name = "corpus", mixinStandardHelpOptions = true,
      description = "Builds the WordNet example corpus: a Parquet table (id, text, label) of synset glosses "
          + "labelled with their lexicographer file, sampled reproducibly per category.")
  static final class Corpus implements Callable<Integer> {
    @Option(names = "--wordnet", defaultValue = "/usr/share/wordnet",
        description = "folder with data.noun, data.verb, data.adj, data.adv (Debian: wordnet-base). Default: ${DEFAULT-VALUE}")
    Path wordnet;

    @Option(names = "--output", required = true, description = "where to write the texts table (Parquet)")
    String output;

    @Option(names = "--per-category", defaultValue = "200", description = "synsets per category. Default: ${DEFAULT-VALUE}")
    int perCategory;

    @Option(names = "--min-per-category", defaultValue = "40",
        description = "leave out smaller categories. Default: ${DEFAULT-VALUE}")
    int minPerCategory;

    @Option(names = "--seed", defaultValue = "17", description = "sampling seed. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--overwrite", description = "replace an existing output")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
      if (perCategory < 1 || minPerCategory < 1) {
        throw new ConfigException("--per-category and --min-per-category must be at least 1");
      }
      List<WordNetCorpus.Entry> all;
      try {
        all = WordNetCorpus.read(wordnet);
      } catch (java.io.IOException e) {
        throw new IsrankException("corpus: " + e.getMessage(), e);
      }
      List<WordNetCorpus.Entry> chosen = WordNetCorpus.sample(all, perCategory, minPerCategory, seed);
      SparkSession spark = Sessions.session();
      StructType schema = new StructType().add("id", DataTypes.LongType, false).add("text", DataTypes.StringType, false)
          .add("label", DataTypes.StringType, false);
      List<Row> rows = new ArrayList<>(chosen.size());
      for (WordNetCorpus.Entry e : chosen) {
        rows.add(RowFactory.create(e.id(), e.text(), e.label()));
      }
      Dataset<Row> df = spark.createDataFrame(rows, schema).coalesce(1);
      org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(output);
      org.apache.hadoop.fs.FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(target) && !overwrite) {
        throw new IsrankException("output '" + output + "' already exists; pass --overwrite to replace it");
      }
      df.write().mode(overwrite ? "overwrite" : "errorifexists").parquet(output);
      var counts = WordNetCorpus.counts(chosen);
      System.out.printf(Locale.ROOT, "corpus: %d of %d WordNet synsets in %d categories -> %s%n", chosen.size(),
          all.size(), counts.size(), output);
      return 0;
    }
  }

  @Command(name = "embed", mixinStandardHelpOptions = true,
      description = "Embeds a texts table (id, text) with each model and writes isrank's input layout "
          + "(OUTPUT/model=NAME/*.parquet with id, embedding) and OUTPUT/_models.csv (dimension, size, cost).")
  static final class Embed implements Callable<Integer> {
    @Option(names = "--texts", required = true, description = "Parquet table with columns id (integer) and text")
    String texts;

    @Option(names = "--output", required = true, description = "output folder (isrank's --input)")
    String output;

    @Option(names = "--models", split = ",", defaultValue = "",
        description = "models: built-in encoders (all-minilm-l6-v2, all-minilm-l6-v2-q, bge-small-en-v15, "
            + "bge-small-en-v15-q, e5-small-v2, e5-small-v2-q), baselines tfidf-lsa-D, word2vec-D, noise-D")
    List<String> models;

    @Option(names = "--onnx", description = "your own encoder: "
        + "NAME=MODEL.onnx,TOKENIZER.json[,mean|cls][,single][,prefix=TEXT] (any Hadoop path; repeatable)")
    List<String> onnx = new ArrayList<>();

    @Option(names = "--batch-size", defaultValue = "32",
        description = "texts per forward pass (quantised models always take one). Default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--partitions", defaultValue = "16",
        description = "partitions of the corpus; fixes the batches, so results do not depend on the cluster. "
            + "Default: ${DEFAULT-VALUE}")
    int partitions;

    @Option(names = "--threads", defaultValue = "1",
        description = "ONNX Runtime threads per task (Spark already runs one task per core). Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--vocabulary", defaultValue = "4096",
        description = "TF-IDF vocabulary size for tfidf-lsa-D. Default: ${DEFAULT-VALUE}")
    int vocabulary;

    @Option(names = "--seed", defaultValue = "17", description = "seed for word2vec and noise. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--overwrite", description = "replace an existing output")
    boolean overwrite;

    @Override
    public Integer call() {
      List<ModelSpec> specs = new ArrayList<>();
      for (String m : models) {
        if (!m.isBlank()) {
          specs.add(ModelSpec.parse(m.trim()));
        }
      }
      for (String o : onnx) {
        specs.add(ModelSpec.parseOnnx(o));
      }
      if (specs.isEmpty()) {
        throw new ConfigException("embed: no models; pass --models and/or --onnx");
      }
      if (specs.stream().map(ModelSpec::name).distinct().count() != specs.size()) {
        throw new ConfigException("embed: a model is named twice in " + specs.stream().map(ModelSpec::name).toList());
      }
      if (batchSize < 1 || partitions < 1 || threads < 1 || vocabulary < 16) {
        throw new ConfigException("embed: --batch-size, --partitions and --threads must be at least 1, "
            + "--vocabulary at least 16");
      }
      SparkSession spark = Sessions.session();
      List<EmbedJob.ModelResult> results = EmbedJob.run(spark, new EmbedJob.Options(texts, output, specs, batchSize,
          partitions, threads, seed, vocabulary, overwrite));
      System.out.printf(Locale.ROOT, "%nembeddings -> %s%n%-22s %6s %9s %12s %14s%n", output, "model", "dims", "texts",
          "seconds", "ms/text/core");
      for (EmbedJob.ModelResult r : results) {
        System.out.printf(Locale.ROOT, "%-22s %6d %9d %12.1f %14s%n", r.spec().name(), r.dimension(), r.items(),
            r.seconds(), r.msPerItem() == null ? "-" : String.format(Locale.ROOT, "%.3f", r.msPerItem()));
      }
      return 0;
    }
  }

  @Command(name = "probe", mixinStandardHelpOptions = true,
      description = "Measures each model on the texts' labels (cross-validated logistic-regression probe, kNN) "
          + "and the rank correlation of isrank's ranking with them.")
  static final class Probe implements Callable<Integer> {
    @Option(names = "--texts", required = true, description = "the texts table with columns id and label")
    String texts;

    @Option(names = "--embeddings", required = true, description = "the embeddings (embed's output)")
    String embeddings;

    @Option(names = "--ranking", required = true, description = "isrank's output folder (or its ranking.csv)")
    String ranking;

    @Option(names = "--output", required = true, description = "output folder: probe.csv, agreement.csv, probe.md")
    String output;

    @Option(names = "--folds", defaultValue = "5", description = "cross-validation folds. Default: ${DEFAULT-VALUE}")
    int folds;

    @Option(names = "--reg-param", defaultValue = "0.001",
        description = "L2 penalty of the logistic regression. Default: ${DEFAULT-VALUE}")
    double regParam;

    @Option(names = "--max-iterations", defaultValue = "100", description = "Default: ${DEFAULT-VALUE}")
    int maxIterations;

    @Option(names = "--k", defaultValue = "10", description = "neighbours in the kNN vote. Default: ${DEFAULT-VALUE}")
    int k;

    @Option(names = "--seed", defaultValue = "17", description = "fold assignment seed. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--overwrite", description = "replace an existing output")
    boolean overwrite;

    @Override
    public Integer call() {
      if (folds < 2 || k < 1 || maxIterations < 1 || !(regParam >= 0)) {
        throw new ConfigException("probe: --folds must be at least 2, --k and --max-iterations at least 1, "
            + "--reg-param non-negative");
      }
      SparkSession spark = Sessions.session();
      ProbeJob.Options o = new ProbeJob.Options(texts, embeddings, ranking, output, folds, regParam, maxIterations, k,
          seed, overwrite);
      ProbeJob.Result r = ProbeJob.run(spark, o);
      System.out.println();
      System.out.println("probe -> " + output);
      System.out.print(ProbeJob.markdown(r, o));
      return 0;
    }
  }
}
