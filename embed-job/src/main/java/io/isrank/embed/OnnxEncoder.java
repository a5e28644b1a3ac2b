package io.isrank.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.isrank.error.IsrankException;
import java.io.ByteArrayInputStream;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A BERT-style sentence encoder on ONNX Runtime: tokenise, run a padded batch through the model,
 * pool the last hidden state (mean over real tokens, or the CLS token) and L2-normalise — the
 * recipe of the sentence-transformers models the built-in catalogue ships. One instance per model
 * per JVM ({@link #shared}); its session is thread-safe, so concurrent Spark tasks share it.
 *
 * <p>Texts longer than {@code maxTokens} are truncated (the built-in models accept 512 tokens).
 */
final class OnnxEncoder implements AutoCloseable {
  private static final Map<String, OnnxEncoder> SHARED = new ConcurrentHashMap<>();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("io.isrank");

  private final String name;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final Pooling pooling;
  private final String prefix;
  private final boolean wantsTypeIds;

  /** How token vectors become one sentence vector. */
  public enum Pooling {
    MEAN,
    CLS
  }

  OnnxEncoder(String name, byte[] model, byte[] tokenizerJson, Pooling pooling, String prefix, int maxTokens,
      int threads) {
    this.name = name;
    this.pooling = pooling;
    this.prefix = prefix == null ? "" : prefix;
    try {
      env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      session = env.createSession(model, options);
      Set<String> inputs = session.getInputNames();
      if (!inputs.contains("input_ids") || !inputs.contains("attention_mask")) {
        throw new IsrankException("model '" + name + "' is not a BERT-style encoder: its ONNX inputs are " + inputs
            + "; expected input_ids and attention_mask (and optionally token_type_ids)");
      }
      wantsTypeIds = inputs.contains("token_type_ids");
      Map<String, String> tokenizerOptions = new HashMap<>();
      tokenizerOptions.put("padding", "false");
      tokenizerOptions.put("truncation", "true");
      tokenizerOptions.put("maxLength", Integer.toString(maxTokens));
      tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), tokenizerOptions);
    } catch (OrtException e) {
      throw new IsrankException("model '" + name + "': ONNX Runtime cannot load it: " + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new IsrankException("model '" + name + "': cannot read its tokenizer: " + e.getMessage(), e);
    }
  }

  /**
   * The JVM's encoder for a model, loaded on first use (once per executor, however many tasks
   * run there).
   */
  public static OnnxEncoder shared(ModelSpec spec, int threads) {
    return SHARED.computeIfAbsent(spec.name() + "#" + threads, k -> {
      long t = System.nanoTime();
      OnnxEncoder e = spec.loadEncoder(threads);
      LOG.info("embed: loaded model {} in this JVM ({}) in {}", spec.name(),
          java.lang.management.ManagementFactory.getRuntimeMXBean().getName(),
          io.isrank.runtime.Progress.seconds((System.nanoTime() - t) / 1e9));
      return e;
    });
  }

  public String name() {
    return name;
  }

  /** Token count of a text as the model sees it (special tokens included, after truncation). */
  public int tokens(String text) {
    return tokenizer.encode(prefix + text).getIds().length;
  }

  /**
   * Embeds a batch of texts: one padded forward pass, then pooling and L2 normalisation.
   *
   * @return one unit vector per text, in input order
   */
  public float[][] embed(List<String> texts) {
    int b = texts.size();
    if (b == 0) {
      return new float[0][];
    }
    Encoding[] encodings = new Encoding[b];
    int longest = 0;
    for (int i = 0; i < b; i++) {
      encodings[i] = tokenizer.encode(prefix + texts.get(i));
      longest = Math.max(longest, encodings[i].getIds().length);
    }
    long[] ids = new long[b * longest];
    long[] mask = new long[b * longest];
    long[] types = wantsTypeIds ? new long[b * longest] : null;
    for (int i = 0; i < b; i++) {
      long[] tokenIds = encodings[i].getIds();
      System.arraycopy(tokenIds, 0, ids, i * longest, tokenIds.length);
      if (types != null) {
        long[] tokenTypes = encodings[i].getTypeIds();
        System.arraycopy(tokenTypes, 0, types, i * longest, tokenTypes.length);
      }
      java.util.Arrays.fill(mask, i * longest, i * longest + tokenIds.length, 1L);
    }
    long[] shape = {b, longest};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
      inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
      if (wantsTypeIds) {
        inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
      }
      try (OrtSession.Result result = session.run(inputs)) {
        OnnxValue hidden = result.get(0);
        float[][][] states = (float[][][]) hidden.getValue();
        float[][] out = new float[b][];
        for (int i = 0; i < b; i++) {
          out[i] = normalise(pool(states[i], encodings[i].getIds().length));
        }
        return out;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("model '" + name + "': inference failed: " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private float[] pool(float[][] tokens, int length) {
    if (pooling == Pooling.CLS) {
      return tokens[0].clone();
    }
    int d = tokens[0].length;
    float[] mean = new float[d];
    for (int t = 0; t < length; t++) {
      float[] v = tokens[t];
      for (int j = 0; j < d; j++) {
        mean[j] += v[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= length;
    }
    return mean;
  }

  static float[] normalise(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    double norm = Math.sqrt(s);
    if (norm > 0) {
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) (v[j] / norm);
      }
    }
    return v;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException ignored) {
      // closing a session that failed is harmless
    }
    tokenizer.close();
  }
}
