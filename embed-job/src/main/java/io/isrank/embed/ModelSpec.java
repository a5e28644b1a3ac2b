package io.isrank.embed;

import io.isrank.error.ConfigException;
import io.isrank.error.IsrankException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One model the embed stage can run: a built-in ONNX encoder (its files come from a Maven
 * jar on the classpath), a user's ONNX model and tokenizer by path, or a classical baseline
 * computed with Spark MLlib from the corpus itself.
 *
 * @param name the model name in isrank's input (the {@code model} column)
 * @param kind what runs it
 * @param onnx classpath resource (built-in) or file path (user) of the ONNX model; null otherwise
 * @param tokenizer classpath resource or file path of {@code tokenizer.json}; null otherwise
 * @param pooling mean or CLS pooling for encoders
 * @param prefix text put before every input (e5 expects "query: " for symmetric tasks)
 * @param dimension output dimension when known up front (encoders, baselines)
 * @param parameters parameter count when known (model cards for the built-ins), else null
 * @param description where the model comes from, for the metadata table
 * @param singleText run one text per forward pass: for dynamically quantised models, whose
 *     activation scales are computed over the whole batch, so that padding and batch-mates would
 *     change a text's embedding (measured: cosine 0.988 to the unbatched result for
 *     all-MiniLM-L6-v2-q; the float models agree to 1e-6)
 */
public record ModelSpec(String name, Kind kind, String onnx, String tokenizer, OnnxEncoder.Pooling pooling,
    String prefix, int dimension, Long parameters, String description, boolean singleText) implements Serializable {

  /** What computes the embeddings. */
  public enum Kind {
    ONNX_BUILTIN,
    ONNX_FILES,
    TFIDF_LSA,
    WORD2VEC,
    NOISE
  }

  private static final Map<String, ModelSpec> BUILT_IN = new LinkedHashMap<>();

  static {
    // Parameter counts are the model cards' (sentence-transformers/all-MiniLM-L6-v2: 22.7M;
    // BAAI/bge-small-en-v1.5: 33.4M; intfloat/e5-small-v2: 33.4M); quantisation keeps the count.
    builtIn("all-minilm-l6-v2", "all-minilm-l6-v2", OnnxEncoder.Pooling.MEAN, "", 22_700_000L);
    builtIn("all-minilm-l6-v2-q", "all-minilm-l6-v2-q", OnnxEncoder.Pooling.MEAN, "", 22_700_000L);
    builtIn("bge-small-en-v15", "bge-small-en-v1.5", OnnxEncoder.Pooling.CLS, "", 33_400_000L);
    builtIn("bge-small-en-v15-q", "bge-small-en-v1.5-q", OnnxEncoder.Pooling.CLS, "", 33_400_000L);
    builtIn("e5-small-v2", "e5-small-v2", OnnxEncoder.Pooling.MEAN, "query: ", 33_400_000L);
    builtIn("e5-small-v2-q", "e5-small-v2-q", OnnxEncoder.Pooling.MEAN, "query: ", 33_400_000L);
  }

  private static void builtIn(String name, String file, OnnxEncoder.Pooling pooling, String prefix, long params) {
    boolean quantised = name.endsWith("-q");
    BUILT_IN.put(name, new ModelSpec(name, Kind.ONNX_BUILTIN, file + ".onnx", file + "-tokenizer.json", pooling,
        prefix, 384, params, "dev.langchain4j:langchain4j-embeddings-" + name + " (ONNX" + (quantised ? " int8" : "")
            + ", " + pooling.name().toLowerCase(Locale.ROOT) + " pooling" + (prefix.isEmpty() ? "" : ", prefix '"
            + prefix + "'") + ")", quantised));
  }

  /** The built-in encoder names, in catalogue order. */
  static List<String> builtInNames() {
    return new ArrayList<>(BUILT_IN.keySet());
  }

  private static final Pattern BASELINE = Pattern.compile("(tfidf-lsa|word2vec|noise)-(\\d{1,4})");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");

  /**
   * Parses a model name from {@code --models}: a built-in encoder, or a baseline
   * {@code tfidf-lsa-D}, {@code word2vec-D}, {@code noise-D} with D its dimension.
   */
  public static ModelSpec parse(String name) {
    ModelSpec b = BUILT_IN.get(name);
    if (b != null) {
      return b;
    }
    Matcher m = BASELINE.matcher(name);
    if (m.matches()) {
      int d = Integer.parseInt(m.group(2));
      require(d >= 2 && d <= 1024, "model '" + name + "': the dimension must be from 2 to 1024");
      return switch (m.group(1)) {
        case "tfidf-lsa" -> new ModelSpec(name, Kind.TFIDF_LSA, null, null, null, "", d, null,
            "TF-IDF over the corpus vocabulary, truncated SVD to " + d + " dims (MLlib)", false);
        case "word2vec" -> new ModelSpec(name, Kind.WORD2VEC, null, null, null, "", d, null,
            "Word2Vec trained on the corpus (MLlib), " + d + " dims, averaged over a text's words", false);
        default -> new ModelSpec(name, Kind.NOISE, null, null, null, "", d, 0L,
            "control: i.i.d. standard normal, " + d + " dims, seeded per id", false);
      };
    }
    throw new ConfigException("unknown model '" + name + "'; built-in encoders are " + builtInNames()
        + ", baselines are tfidf-lsa-D, word2vec-D and noise-D (D = dimension), and --onnx adds your own");
  }

  /**
   * Parses {@code --onnx NAME=MODEL.onnx,TOKENIZER.json[,mean|cls][,single][,prefix=TEXT]}: a
   * user's BERT-style ONNX encoder read from any Hadoop file system path ({@code single}: one
   * text per forward pass, for dynamically quantised models).
   */
  static ModelSpec parseOnnx(String value) {
    int eq = value.indexOf('=');
    require(eq > 0, "--onnx '" + value + "': expected NAME=MODEL.onnx,TOKENIZER.json[,mean|cls][,prefix=TEXT]");
    String name = value.substring(0, eq);
    require(NAME.matcher(name).matches(), "--onnx: model name '" + name
        + "' must be letters, digits, '.', '_' or '-'");
    String[] parts = value.substring(eq + 1).split(",", -1);
    require(parts.length >= 2 && !parts[0].isBlank() && !parts[1].isBlank(), "--onnx '" + value
        + "': expected NAME=MODEL.onnx,TOKENIZER.json[,mean|cls][,prefix=TEXT]");
    OnnxEncoder.Pooling pooling = OnnxEncoder.Pooling.MEAN;
    String prefix = "";
    boolean single = false;
    for (int i = 2; i < parts.length; i++) {
      String p = parts[i];
      if (p.equalsIgnoreCase("mean") || p.equalsIgnoreCase("cls")) {
        pooling = OnnxEncoder.Pooling.valueOf(p.toUpperCase(Locale.ROOT));
      } else if (p.equalsIgnoreCase("single")) {
        single = true;
      } else if (p.startsWith("prefix=")) {
        prefix = p.substring("prefix=".length());
      } else {
        throw new ConfigException("--onnx '" + value + "': unknown setting '" + p + "' (use mean, cls, single or prefix=TEXT)");
      }
    }
    return new ModelSpec(name, Kind.ONNX_FILES, parts[0], parts[1], pooling, prefix, -1, null,
        "ONNX model " + parts[0] + " (" + pooling.name().toLowerCase(Locale.ROOT) + " pooling)", single);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(message);
    }
  }

  boolean isEncoder() {
    return kind == Kind.ONNX_BUILTIN || kind == Kind.ONNX_FILES;
  }

  /** Size of the model's weights on disk in bytes, when it is a file we can see; else null. */
  public Long modelBytes(Configuration conf) {
    try {
      if (kind == Kind.ONNX_BUILTIN) {
        java.net.URL url = resourceLoader().getResource(onnx);
        if (url == null) {
          return null;
        }
        java.net.URLConnection c = url.openConnection();
        long n = c.getContentLengthLong();
        return n < 0 ? null : n;
      }
      if (kind == Kind.ONNX_FILES) {
        Path p = new Path(onnx);
        return p.getFileSystem(conf).getFileStatus(p).getLen();
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /** Loads this encoder (on an executor): reads the model and tokenizer bytes and opens a session. */
  OnnxEncoder loadEncoder(int threads) {
    if (!isEncoder()) {
      throw new IllegalStateException(name + " is not an ONNX encoder");
    }
    byte[] model = read(onnx);
    byte[] tok = read(tokenizer);
    return new OnnxEncoder(name, model, tok, pooling, prefix, 512, threads);
  }

  private byte[] read(String where) {
    try {
      if (kind == Kind.ONNX_BUILTIN) {
        try (InputStream in = resourceLoader().getResourceAsStream(where)) {
          if (in == null) {
            throw new IsrankException("model '" + name + "': '" + where + "' is not on the classpath; the jar "
                + "dev.langchain4j:langchain4j-embeddings-" + name + ":0.36.2 must be (with spark-submit, pass it in "
                + "--jars; submit.sh does this for the built-in models)");
          }
          return in.readAllBytes();
        }
      }
      Path p = new Path(where);
      FileSystem fs = p.getFileSystem(new Configuration());
      try (FSDataInputStream in = fs.open(p)) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new IsrankException("model '" + name + "': cannot read '" + where + "': " + e.getMessage(), e);
    }
  }

  private static ClassLoader resourceLoader() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return cl != null ? cl : ModelSpec.class.getClassLoader();
  }
}
