package io.isrank.load;

import java.util.List;

/**
 * Where the embeddings are and how their columns are named; {@code metadata} is the model
 * metadata table ("" = {@code <path>/_models.csv} when present, "none" = off); {@code filter}
 * a SQL condition on the input's rows ("" = none), e.g. a partition predicate.
 */
public record InputSpec(String path, String idColumn, String modelColumn, String embeddingColumn,
    List<String> models, boolean dropInvalid, String metadata, String filter) {
  /** The prefix of a catalog table as input.path (or output.history): {@code table:db.name}. */
  public static final String TABLE = "table:";

  public InputSpec {
    models = List.copyOf(models);
  }

  public InputSpec(String path, String idColumn, String modelColumn, String embeddingColumn, List<String> models,
      boolean dropInvalid, String metadata) {
    this(path, idColumn, modelColumn, embeddingColumn, models, dropInvalid, metadata, "");
  }

  /** True for {@code table:db.name}: a table of the session's catalog, not a path. */
  public boolean isTable() {
    return path.startsWith(TABLE);
  }

  /** The catalog table's name ({@code db.name}) of a table input. */
  public String table() {
    return path.substring(TABLE.length()).trim();
  }
}
