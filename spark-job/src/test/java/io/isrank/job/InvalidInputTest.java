package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.error.InputException;
import io.isrank.load.EmbeddingSource;
import io.isrank.validate.InputValidation;
import io.isrank.validate.ModelCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** Every class of invalid input gives a clear error; the opt-in drop gives exact counts. */
class InvalidInputTest extends SparkTestBase {
  /** Three models a, b, c of dimension 3 over ids 0..99, all valid. */
  private static List<Row> clean() {
    return clean(100);
  }

  private static List<Row> clean(int items) {
    List<Row> rows = new ArrayList<>();
    for (long id = 0; id < items; id++) {
      for (String m : List.of("a", "b", "c")) {
        rows.add(row(id, m, (double) id, Math.sin(id + m.hashCode()), Math.cos(id * 3.0)));
      }
    }
    return rows;
  }

  private static List<Row> replace(List<Row> rows, String model, long id, Row with) {
    List<Row> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(r.getString(1).equals(model) && r.getLong(0) == id ? with : r);
    }
    return out;
  }

  private InputValidation.Validated validate(String dir, boolean drop) {
    RunConfig cfg = config("--input", dir, "--output", "unused", "--input.drop-invalid", String.valueOf(drop));
    return InputValidation.validate(EmbeddingSource.load(spark, cfg.input()), cfg.input(), cfg.seed());
  }

  private String failure(String name, List<Row> rows) {
    String dir = write(name, rows, 2);
    return assertThrows(InputException.class, () -> validate(dir, false).requireAccepted()).getMessage();
  }

  @Test
  void nanRowNamesModelColumnCountAndIds() {
    List<Row> rows = clean();
    rows = replace(rows, "b", 17, row(17L, "b", 1.0, Double.NaN, 2.0));
    rows = replace(rows, "b", 44, row(44L, "b", Double.POSITIVE_INFINITY, 1.0, 2.0));
    String msg = failure("nan", rows);
    assertTrue(msg.contains("model 'b': 2 rows have NaN, Infinity or null elements in 'embedding' (e.g. ids 17, 44)"),
        msg);
    assertTrue(msg.contains("--drop-invalid"), msg);
  }

  @Test
  void nullElementIsInvalid() {
    String msg = failure("null-element", replace(clean(), "a", 5, row(5L, "a", 1.0, null, 2.0)));
    assertTrue(msg.contains("model 'a': 1 rows have NaN, Infinity or null elements in 'embedding' (e.g. ids 5)"), msg);
  }

  @Test
  void wrongDimensionNamesTheModel() {
    String msg = failure("dim", replace(clean(), "c", 3, row(3L, "c", 1.0, 2.0)));
    assertTrue(msg.contains("model 'c': 1 rows have the wrong length in 'embedding'"), msg);
    assertTrue(msg.contains("e.g. ids 3"), msg);
  }

  @Test
  void severalWrongLengthsAreListedWithTheirCountsAndTheModelsDimension() {
    List<Row> rows = clean();
    rows = replace(rows, "c", 3, row(3L, "c", 1.0, 2.0));
    rows = replace(rows, "c", 8, row(8L, "c", 1.0, 2.0));
    rows = replace(rows, "c", 11, row(11L, "c", 1.0, 2.0, 3.0, 4.0));
    String msg = failure("dims", rows);
    assertEquals("model 'c': 3 rows have the wrong length in 'embedding': lengths 2 (2 rows), 4 (1 row); the model's "
        + "dimension is taken as its most common length, 3 (97 rows) (e.g. ids 3, 8, 11)\n"
        + "fix the input or pass --drop-invalid to drop and count these rows", msg);
  }

  @Test
  void anUnreadableFileEndsInOneErrorLineNamingTheFileAndItsModelForRunAndValidate() throws Exception {
    String dir = scratch.resolve("corrupt").toString();
    // one file per model, so that the corrupt file is the one whose footer gives the model's schema
    spark.createDataFrame(clean(), longSchema()).coalesce(1).write().partitionBy("model").parquet(dir);
    java.nio.file.Path victim;
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of(dir, "model=b"))) {
      victim = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    byte[] bytes = java.nio.file.Files.readAllBytes(victim);
    java.nio.file.Files.write(victim, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // footer cut off
    String out = scratch.resolve("corrupt-out").toString();
    for (List<String> args : List.of(List.of("--input", dir, "--output", out), List.of("validate", "--input", dir))) {
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
      int code = IsrankJob.run(args.toArray(new String[0]), new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
          new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
      String text = err.toString(java.nio.charset.StandardCharsets.UTF_8).trim();
      assertEquals(2, code, args + ": " + text);
      assertEquals("isrank: error: input file 'file:" + victim + "' (model 'b') cannot be read: its Parquet footer is "
          + "missing or corrupt (a truncated or partly written file, or not Parquet) "
          + "[FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER]; replace the file, or move it out of the input to rank without "
          + "its rows", text, "one line, no stack trace");
    }
    assertTrue(!java.nio.file.Files.exists(java.nio.file.Path.of(out)), "a failed run leaves no output");
  }

  @Test
  void idColumnsOfDifferentTypesAcrossModelsAreComparedAsStringsWithAWarning() {
    String dir = scratch.resolve("id-types").toString();
    List<Row> strings = new ArrayList<>();
    for (Row r : clean()) {
      if (!r.getString(1).equals("a")) {
        strings.add(RowFactory.create(String.valueOf(r.getLong(0)), r.get(2)));
      }
    }
    List<Row> longs = new ArrayList<>();
    for (Row r : clean()) {
      if (r.getString(1).equals("a")) {
        longs.add(RowFactory.create(r.getLong(0), r.get(2)));
      }
    }
    var emb = DataTypes.createStructField("embedding", DataTypes.createArrayType(DataTypes.DoubleType, true), true);
    spark.createDataFrame(longs, DataTypes.createStructType(List.of(
            DataTypes.createStructField("id", DataTypes.LongType, true), emb)))
        .write().parquet(dir + "/model=a");
    for (String m : List.of("b", "c")) {
      List<Row> mine = new ArrayList<>();
      for (Row r : clean()) {
        if (r.getString(1).equals(m)) {
          mine.add(RowFactory.create(String.valueOf(r.getLong(0)), r.get(2)));
        }
      }
      spark.createDataFrame(mine, DataTypes.createStructType(List.of(
              DataTypes.createStructField("id", DataTypes.StringType, true), emb)))
          .write().parquet(dir + "/model=" + m);
    }
    InputValidation.Validated v = validate(dir, false);
    assertEquals(100, v.aligned(), "12 and \"12\" are the same item");
    assertEquals(List.of("the id column has different types across models (integer ids in 'a'; string ids in 'b', "
        + "'c'): every id is compared as a string, so 12 matches \"12\" but not \"012\"; check that the ids are written "
        + "alike in every model"), v.warnings());
  }

  @Test
  void nullIdAndNullEmbedding() {
    List<Row> rows = clean();
    rows.add(row(null, "a", 1.0, 2.0, 3.0));
    rows = replace(rows, "b", 9, RowFactory.create(9L, "b", null));
    String msg = failure("nulls", rows);
    assertTrue(msg.contains("model 'a': 1 rows have a null 'id'"), msg);
    assertTrue(msg.contains("model 'b': 1 rows have a null 'embedding' (e.g. ids 9)"), msg);
  }

  @Test
  void conflictingDuplicatesFailButIdenticalOnesCollapse() {
    List<Row> rows = clean();
    rows.add(row(7L, "a", 100.0, 100.0, 100.0));
    String msg = failure("conflict", rows);
    assertTrue(msg.contains("model 'a': 1 ids appear more than once with different 'embedding' values (e.g. ids 7)"),
        msg);

    List<Row> dup = clean();
    dup.add(dup.get(0));
    InputValidation.Validated v = validate(write("identical", dup, 2), false);
    assertEquals(1, v.counts().get("a").duplicateRows());
    assertEquals(100, v.aligned());
  }

  @Test
  void dropInvalidDropsAndCountsExactly() {
    List<Row> rows = clean();
    rows = replace(rows, "b", 17, row(17L, "b", 1.0, Double.NaN, 2.0));
    rows = replace(rows, "b", 18, row(18L, "b", 1.0, 2.0));
    rows = replace(rows, "c", 30, RowFactory.create(30L, "c", null));
    rows.add(row(7L, "a", 100.0, 100.0, 100.0));
    rows.add(rows.stream().filter(r -> r.getString(1).equals("a") && r.getLong(0) == 8).findFirst().orElseThrow());
    rows.removeIf(r -> r.getString(1).equals("c") && r.getLong(0) == 99);
    InputValidation.Validated v = validate(write("drop", rows, 3), true);
    ModelCounts a = v.counts().get("a");
    ModelCounts b = v.counts().get("b");
    ModelCounts c = v.counts().get("c");
    assertEquals(102, a.rowsRead());
    assertEquals(1, a.conflictingIds());
    assertEquals(1, a.duplicateRows(), "the exact copy of id 8 collapses into one row");
    assertEquals(Map.of(InputValidation.NON_FINITE, 1L, InputValidation.WRONG_DIMENSION, 1L), b.invalidRows());
    assertEquals(Map.of(InputValidation.NULL_EMBEDDING, 1L), c.invalidRows());
    assertEquals(99, c.rowsRead());
    // Aligned: 100 ids minus 7 (conflict in a), 17 and 18 (invalid in b), 30 (null in c), 99 (absent from c).
    assertEquals(95, v.aligned());
    assertEquals(98, v.valid().filter("model = 'b'").count(), "valid rows, before alignment");
    assertEquals(98, b.distinctIds());
    assertEquals(3, b.missingInOtherModels());
  }

  @Test
  void fewerThanTwoModelsIsAnError() {
    String msg = failure("one-model", clean().stream().filter(r -> r.getString(1).equals("a")).toList());
    assertTrue(msg.contains("holds 1 model (a); it needs at least 2"), msg);
  }

  @Test
  void missingAndMistypedColumnsAreNamed() {
    String dir = scratch.resolve("no-emb").toString();
    spark.createDataFrame(List.of(RowFactory.create(1L, "a")), DataTypes.createStructType(List.of(
        DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("model", DataTypes.StringType, false))))
        .write().mode(SaveMode.Overwrite).parquet(dir);
    String msg = assertThrows(InputException.class, () -> validate(dir, false)).getMessage();
    assertTrue(msg.contains("has no column 'embedding'") && msg.contains("input.embedding-column"), msg);

    String typed = scratch.resolve("string-emb").toString();
    spark.createDataFrame(List.of(RowFactory.create(1L, "a", "[1,2]")), DataTypes.createStructType(List.of(
        DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("model", DataTypes.StringType, false),
        DataTypes.createStructField("embedding", DataTypes.StringType, false))))
        .write().mode(SaveMode.Overwrite).parquet(typed);
    msg = assertThrows(InputException.class, () -> validate(typed, false)).getMessage();
    assertTrue(msg.contains("column 'embedding' has type string; expected array<float>, array<double> or an MLlib vector"),
        msg);

    msg = assertThrows(InputException.class, () -> validate(scratch.resolve("nowhere").toString(), false)).getMessage();
    assertTrue(msg.contains("does not exist"), msg);
  }

  @Test
  void partitionedLayoutKeepsNumericLookingNamesAndCatchesAModelWithoutEmbeddings() {
    String root = scratch.resolve("partitioned").toString();
    List<Row> rows = clean();
    spark.createDataFrame(rows.stream().filter(r -> !r.getString(1).equals("c")).map(r -> RowFactory.create(
            r.get(0), r.getString(1).equals("a") ? "007" : "2.0", r.get(2))).toList(), longSchema())
        .write().mode(SaveMode.Overwrite).partitionBy("model").parquet(root);
    InputValidation.Validated v = validate(root, false);
    assertEquals(List.of("007", "2.0"), v.models());

    // A third model whose files have ids but no embedding column.
    spark.createDataFrame(List.of(RowFactory.create(1L), RowFactory.create(2L)), DataTypes.createStructType(List.of(
        DataTypes.createStructField("id", DataTypes.LongType, false))))
        .write().mode(SaveMode.Overwrite).parquet(root + "/model=late");
    String msg = assertThrows(InputException.class, () -> validate(root, false)).getMessage();
    assertTrue(msg.contains("model 'late' has no column 'embedding'"), msg);
  }

  @Test
  void zeroVarianceModelIsAnError() {
    List<Row> rows = new ArrayList<>();
    for (long id = 0; id < 400; id++) {
      rows.add(row(id, "a", Math.sin(id), Math.cos(id)));
      rows.add(row(id, "flat", 1.0, 1.0));
    }
    String input = write("flat", rows, 2);
    String msg = assertThrows(InputException.class, () -> Pipeline.run(spark, config("--input", input,
        "--output", scratch.resolve("flat-out").toString(), "--reduce.dims", "2"))).getMessage();
    assertTrue(msg.contains("model 'flat' has zero variance"), msg);
  }

  @Test
  void validateCommandPrintsCountsAndRefusesWithTheRunsMessage() {
    List<Row> rows = replace(clean(300), "b", 17, row(17L, "b", 1.0, Double.NaN, 2.0));
    String dir = write("validate-cmd", rows, 2);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = ValidateCommand.run(spark, config("validate", "--input", dir), new java.io.PrintStream(out),
        new java.io.PrintStream(err));
    assertEquals(2, code);
    String runMessage = assertThrows(InputException.class, () -> validate(dir, false).requireAccepted()).getMessage();
    assertEquals("isrank: error: " + runMessage, err.toString().trim());
    assertTrue(out.toString().contains("b: 1 rows with non-finite value (e.g. ids 17)"), out.toString());

    out.reset();
    code = ValidateCommand.run(spark, config("validate", "--input", dir, "--drop-invalid"),
        new java.io.PrintStream(out), new java.io.PrintStream(err));
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("accepted: a run would fit on 149 items, score 150 held-out items"),
        out.toString());
    assertTrue(out.toString().matches("(?s).*\\nb +300 +3 +1 +0 +0 +299 +0 +299\\n.*"), out.toString());
  }

  @Test
  void tooFewAlignedRowsIsAnError() {
    List<Row> rows = new ArrayList<>();
    for (long id = 0; id < 60; id++) {
      rows.add(row(id, "a", Math.sin(id), Math.cos(id)));
      rows.add(row(id + 30, "b", Math.sin(id * 2.0), Math.cos(id * 5.0)));
    }
    String input = write("few", rows, 1);
    String msg = assertThrows(InputException.class, () -> Pipeline.run(spark, config("--input", input,
        "--output", scratch.resolve("few-out").toString()))).getMessage();
    assertTrue(msg.contains("30 items are aligned across all models"), msg);
  }
}
