package io.isrank.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** What validation learns of each row from its one read: length, flags and an embedding hash. */
class RowFactsTest {

  private static InternalRow row(Object id, Object... values) {
    return new GenericInternalRow(new Object[] {UTF8String.fromString("m"), id,
        values == null ? null : new GenericArrayData(values)});
  }

  private static InternalRow facts(InternalRow r) {
    return RowFacts.facts(r, false, false);
  }

  @Test
  void finiteRowHasItsLengthNoFlagsAndAHashOfItsValues() {
    InternalRow f = facts(row(7L, 1.0, -2.5, 3.0));
    assertEquals("m", f.getUTF8String(0).toString());
    assertEquals(7L, f.getLong(1));
    assertEquals(3, f.getInt(2));
    assertFalse(f.getBoolean(3), "id is not null");
    assertFalse(f.getBoolean(4), "all values finite");
    assertEquals(RowFacts.hashOf(new double[] {1.0, -2.5, 3.0}), f.getLong(5));
  }

  @Test
  void identicalCopiesHashAlikeAndAnyDifferenceChangesTheHash() {
    long a = facts(row(1L, 0.5, 0.25)).getLong(5);
    assertEquals(a, facts(row(2L, 0.5, 0.25)).getLong(5), "same values, same hash (the id is not hashed)");
    assertEquals(facts(row(1L, 0.0, 1.0)).getLong(5), facts(row(1L, -0.0, 1.0)).getLong(5),
        "-0.0 and 0.0 compare equal, so they hash alike");
    assertNotEquals(a, facts(row(1L, 0.25, 0.5)).getLong(5), "order matters");
    assertNotEquals(a, facts(row(1L, 0.5, Math.nextUp(0.25))).getLong(5), "one ulp matters");
    assertNotEquals(facts(row(1L, 0.5)).getLong(5), facts(row(1L, 0.5, 0.0)).getLong(5), "length matters");
  }

  @Test
  void nanInfinityAndNullElementsAreNonFiniteNullsAreFlagged() {
    assertTrue(facts(row(1L, 1.0, Double.NaN)).getBoolean(4));
    assertTrue(facts(row(1L, Double.POSITIVE_INFINITY)).getBoolean(4));
    assertTrue(facts(row(1L, 2.0, Double.NEGATIVE_INFINITY)).getBoolean(4));
    assertTrue(facts(row(1L, 2.0, null)).getBoolean(4), "a null element");
    assertFalse(facts(row(1L, Double.MAX_VALUE, -Double.MAX_VALUE)).getBoolean(4), "large but finite");
    InternalRow nullEmbedding = facts(row(1L, (Object[]) null));
    assertEquals(-1, nullEmbedding.getInt(2), "a null embedding has length -1");
    assertFalse(nullEmbedding.getBoolean(4));
    assertTrue(facts(row(null, 1.0)).getBoolean(3), "null id");
  }
}
