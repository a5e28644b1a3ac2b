package io.isrank.validate;

import java.util.List;
import java.util.Map;

/**
 * What the validation found for one model; all counts are rows unless they say ids.
 *
 * @param rowsRead             rows in the input for this model
 * @param dim                  the model's embedding dimension (the most common length)
 * @param invalidRows          invalid rows by reason (null id, null embedding, wrong dimension, non-finite value)
 * @param invalidExamples      up to three example ids per reason
 * @param duplicateRows        extra copies of an (id, embedding) already seen, collapsed into one
 * @param conflictingIds       ids listed more than once with different embeddings
 * @param conflictingExamples  up to three of those ids
 * @param distinctIds          ids with one valid embedding
 * @param missingInOtherModels of those, ids that some other model lacks (not aligned)
 * @param aligned              ids present, valid and unambiguous in every model
 */
public record ModelCounts(
    String model,
    long rowsRead,
    int dim,
    Map<String, Long> invalidRows,
    Map<String, List<String>> invalidExamples,
    long duplicateRows,
    long conflictingIds,
    List<String> conflictingExamples,
    long distinctIds,
    long missingInOtherModels,
    long aligned) {

  public ModelCounts {
    invalidRows = Map.copyOf(invalidRows);
    invalidExamples = Map.copyOf(invalidExamples);
    conflictingExamples = List.copyOf(conflictingExamples);
  }

  public long invalidTotal() {
    return invalidRows.values().stream().mapToLong(Long::longValue).sum();
  }
}
