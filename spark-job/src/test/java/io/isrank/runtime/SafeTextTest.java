package io.isrank.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/** CSV cells never start a formula; console text never carries control characters. No Spark needed. */
class SafeTextTest {
  @Test
  void cellsThatWouldStartAFormulaGetAQuote() {
    for (String s : List.of("=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx",
        "-x", "=1")) {
      assertEquals("'" + s, SafeText.csvCell(s), s);
      assertEquals(s, SafeText.fromCsvCell(SafeText.csvCell(s)), "reads back as written: " + s);
    }
  }

  @Test
  void ordinaryCellsAreUnchanged() {
    for (String s : List.of("alpha-12f", "", "e5=small", "'quoted", "x-y", "-0.0042", "+3", "-1.5e-3")) {
      assertEquals(s, SafeText.csvCell(s));
      assertEquals(s, SafeText.fromCsvCell(s));
    }
  }

  @Test
  void recordsNeutraliseOnlyText() {
    Object[] r = SafeText.csvRecord("=cmd", -1.5, 3, "-x", null);
    assertEquals(List.of("'=cmd", -1.5, 3, "'-x"), java.util.Arrays.asList(r).subList(0, 4));
    assertEquals(null, r[4]);
  }

  @Test
  void controlAndInvisibleCharactersAreEscaped() {
    assertEquals("red\\u001b[31mname", SafeText.printable("red\u001b[31mname"));
    assertEquals("a\\u000ab\\u0009c\\u007f", SafeText.printable("a\nb\tc\u007f"));
    assertEquals("abc\\u202edcba", SafeText.printable("abc\u202edcba")); // right-to-left override
    assertEquals("plain-name 7", SafeText.printable("plain-name 7"));
    assertEquals("modèle-é", SafeText.printable("modèle-é"));
    assertFalse(SafeText.printable("\u0085x").contains("\u0085"));
    assertEquals("one\ntwo \\u001b", SafeText.printable("one\ntwo \u001b", true));
  }
}
