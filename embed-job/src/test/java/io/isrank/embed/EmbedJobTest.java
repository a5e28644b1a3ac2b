package io.isrank.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.isrank.error.ConfigException;
import io.isrank.error.InputException;
import io.isrank.error.IsrankException;
import io.isrank.testkit.SparkTest;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The embed stage on a tiny corpus with one small real model (all-MiniLM-L6-v2, quantised). */
class EmbedJobTest extends SparkTest {
  private static final String[] TEXTS = {
      "A dog is barking at the mailman.",
      "The puppy barks loudly at the postman.",
      "Stock markets fell sharply after the bank reported losses.",
      "Shares dropped as the bank announced a loss.",
      "She baked bread with flour, water and yeast.",
      "Fresh bread is made from dough that rises with yeast.",
      "The violin and the cello played a slow duet.",
      "An orchestra's string section includes violins and cellos.",
      "Rain is expected across the north tomorrow.",
      "Tomorrow the weather turns wet in northern regions."};

  private String texts(String name, List<Row> rows) {
    StructType schema = new StructType().add("id", DataTypes.LongType).add("text", DataTypes.StringType)
        .add("label", DataTypes.StringType);
    String dir = scratch.resolve(name).toString();
    spark.createDataFrame(rows, schema).repartition(3).write().parquet(dir);
    return dir;
  }

  private List<Row> corpus() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < TEXTS.length; i++) {
      rows.add(RowFactory.create(100L + i, TEXTS[i], "topic" + (i / 2)));
    }
    return rows;
  }

  private EmbedJob.Options options(String texts, String out, int partitions, String... models) {
    List<ModelSpec> specs = new ArrayList<>();
    for (String m : models) {
      specs.add(ModelSpec.parse(m));
    }
    return new EmbedJob.Options(texts, out, specs, 4, partitions, 1, 7, 64, false);
  }

  private Map<Long, float[]> read(String out, String model) {
    Map<Long, float[]> m = new HashMap<>();
    for (Row r : spark.read().parquet(out + "/model=" + model).collectAsList()) {
      List<Float> v = r.getList(1);
      float[] x = new float[v.size()];
      for (int j = 0; j < x.length; j++) {
        x[j] = v.get(j);
      }
      m.put(r.getLong(0), x);
    }
    return m;
  }

  private static double cosine(float[] a, float[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int j = 0; j < a.length; j++) {
      ab += (double) a[j] * b[j];
      aa += (double) a[j] * a[j];
      bb += (double) b[j] * b[j];
    }
    return ab / Math.sqrt(aa * bb);
  }

  @Test
  void writesIsranksInputLayoutWithMetadata() throws IOException {
    String in = texts("layout-texts", corpus());
    String out = scratch.resolve("layout-out").toString();
    List<EmbedJob.ModelResult> results = EmbedJob.run(spark, options(in, out, 3, "all-minilm-l6-v2-q", "noise-8",
        "word2vec-6", "tfidf-lsa-3"));
    assertEquals(4, results.size());
    Map<Long, float[]> minilm = read(out, "all-minilm-l6-v2-q");
    assertEquals(TEXTS.length, minilm.size());
    for (float[] v : minilm.values()) {
      assertEquals(384, v.length);
      double norm = Math.sqrt(dot(v, v));
      assertEquals(1.0, norm, 1e-5, "sentence embeddings are L2-normalised");
    }
    assertEquals(8, read(out, "noise-8").get(100L).length);
    assertEquals(6, read(out, "word2vec-6").get(100L).length);
    assertEquals(3, read(out, "tfidf-lsa-3").get(100L).length);
    // isrank reads the folder: every model holds every id, the model partition is a string
    List<Row> perModel = spark.read().parquet(out).groupBy("model").count().orderBy("model").collectAsList();
    assertEquals(4, perModel.size());
    perModel.forEach(r -> assertEquals(TEXTS.length, r.getLong(1)));
    // the metadata table: measured cost for the encoder, missing (empty) where nothing is known
    try (Reader r = Files.newBufferedReader(Path.of(out, "_models.csv"))) {
      List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)
          .getRecords();
      assertEquals(List.of("all-minilm-l6-v2-q", "noise-8", "word2vec-6", "tfidf-lsa-3"),
          rows.stream().map(x -> x.get("model")).toList());
      assertEquals("384", rows.get(0).get("dimension"));
      assertTrue(Double.parseDouble(rows.get(0).get("ms_per_item")) > 0);
      assertTrue(Long.parseLong(rows.get(0).get("model_bytes")) > 10_000_000L);
      assertEquals("22700000", rows.get(0).get("parameters"));
      assertEquals("", rows.get(2).get("ms_per_item"));
      assertEquals("", rows.get(2).get("parameters"));
    }
    assertNull(results.get(1).msPerItem());
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += (double) a[j] * b[j];
    }
    return s;
  }

  @Test
  void inferenceMatchesTheReferenceImplementationAndMeansSomething() {
    String in = texts("ref-texts", corpus());
    String out = scratch.resolve("ref-out").toString();
    EmbedJob.run(spark, options(in, out, 2, "all-minilm-l6-v2", "all-minilm-l6-v2-q"));
    // langchain4j embeds one text at a time without padding. Our padded batches of the float model
    // must agree up to float rounding; the int8 model runs one text per pass (its dynamic
    // quantisation scales would otherwise see the batch) and must agree just as closely.
    List<Map.Entry<String, dev.langchain4j.model.embedding.EmbeddingModel>> references = List.of(
        Map.entry("all-minilm-l6-v2", new AllMiniLmL6V2EmbeddingModel()),
        Map.entry("all-minilm-l6-v2-q", new AllMiniLmL6V2QuantizedEmbeddingModel()));
    for (Map.Entry<String, dev.langchain4j.model.embedding.EmbeddingModel> ref : references) {
      Map<Long, float[]> ours = read(out, ref.getKey());
      for (int i = 0; i < TEXTS.length; i++) {
        float[] want = ref.getValue().embed(TEXTS[i]).content().vector();
        double c = cosine(want, ours.get(100L + i));
        assertTrue(c > 0.99999, ref.getKey() + " text " + i + ": cosine " + c);
      }
      // paraphrases are closer than unrelated sentences
      for (int i = 0; i < TEXTS.length; i += 2) {
        double pair = cosine(ours.get(100L + i), ours.get(101L + i));
        for (int j = 0; j < TEXTS.length; j++) {
          if (j / 2 != i / 2) {
            assertTrue(pair > cosine(ours.get(100L + i), ours.get(100L + j)), ref.getKey() + ": " + i + " vs " + j);
          }
        }
      }
    }
  }

  @Test
  void sameSettingsGiveTheSameBitsAndOtherPartitioningsAgreeToRounding() {
    String in = texts("det-texts", corpus());
    String a = scratch.resolve("det-a").toString();
    String b = scratch.resolve("det-b").toString();
    String c = scratch.resolve("det-c").toString();
    EmbedJob.run(spark, options(in, a, 3, "all-minilm-l6-v2", "noise-5"));
    EmbedJob.run(spark, options(in, b, 3, "all-minilm-l6-v2", "noise-5"));
    EmbedJob.run(spark, options(in, c, 1, "all-minilm-l6-v2", "noise-5"));
    Map<Long, float[]> ea = read(a, "all-minilm-l6-v2");
    Map<Long, float[]> eb = read(b, "all-minilm-l6-v2");
    Map<Long, float[]> ec = read(c, "all-minilm-l6-v2");
    for (long id : ea.keySet()) {
      assertArrayEquals(ea.get(id), eb.get(id), 0f);
      assertTrue(cosine(ea.get(id), ec.get(id)) > 0.99999, "other batches change only the rounding");
      assertArrayEquals(read(a, "noise-5").get(id), read(c, "noise-5").get(id), 0f, "noise depends only on id");
    }
  }

  @Test
  void badTextsAndOptionsAreNamedClearly() {
    List<Row> dup = corpus();
    dup.add(RowFactory.create(103L, "again", "x"));
    String in = texts("dup-texts", dup);
    InputException e = assertThrows(InputException.class,
        () -> EmbedJob.run(spark, options(in, scratch.resolve("dup-out").toString(), 2, "noise-4")));
    assertTrue(e.getMessage().contains("1 ids appear more than once") && e.getMessage().contains("103"),
        e.getMessage());
    assertFalse(Files.exists(scratch.resolve("dup-out")), "a failed run leaves no output");

    List<Row> nulls = corpus();
    nulls.add(RowFactory.create(555L, null, "x"));
    String in2 = texts("null-texts", nulls);
    InputException n = assertThrows(InputException.class,
        () -> EmbedJob.run(spark, options(in2, scratch.resolve("null-out").toString(), 2, "noise-4")));
    assertTrue(n.getMessage().contains("1 rows have a null 'text'") && n.getMessage().contains("555"), n.getMessage());

    ConfigException c = assertThrows(ConfigException.class, () -> ModelSpec.parse("gpt-9"));
    assertTrue(c.getMessage().contains("unknown model 'gpt-9'") && c.getMessage().contains("all-minilm-l6-v2"));
    assertThrows(ConfigException.class, () -> ModelSpec.parseOnnx("mine=model.onnx"));
    ModelSpec own = ModelSpec.parseOnnx("mine=/m/model.onnx,/m/tokenizer.json,cls,prefix=query: ");
    assertEquals(OnnxEncoder.Pooling.CLS, own.pooling());
    assertEquals("query: ", own.prefix());

    String out = scratch.resolve("exists").toString();
    EmbedJob.run(spark, options(texts("exists-texts", corpus()), out, 2, "noise-4"));
    IsrankException x = assertThrows(IsrankException.class,
        () -> EmbedJob.run(spark, options(in, out, 2, "noise-4")));
    assertTrue(x.getMessage().contains("already exists"), x.getMessage());
  }
}
