package io.isrank.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WordNetCorpusTest {
  @Test
  void parsesSynsetLinesIntoTextAndCategory() {
    WordNetCorpus.Entry dog = WordNetCorpus.parse("02084071 05 n 03 dog 0 domestic_dog 0 Canis_familiaris 0 023 "
        + "@ 02083346 n 0000 | a member of the genus Canis; \"the dog barked all night\"  ", 0);
    assertEquals(2084071L, dog.id());
    assertEquals("noun.animal", dog.label());
    assertEquals("dog: a member of the genus Canis; \"the dog barked all night\"", dog.text());
    WordNetCorpus.Entry run = WordNetCorpus.parse("01926311 38 v 02 run 0 go_on_foot 0 001 @ 01835496 v 0000 "
        + "01 + 02 00 | move fast by using one's feet  ", 1);
    assertEquals(100_000_000L + 1926311L, run.id()); // verbs live in their own id range
    assertEquals("verb.motion", run.label());
    WordNetCorpus.Entry big = WordNetCorpus.parse("01382086 00 a 01 big(a) 0 000 | above average in size  ", 2);
    assertEquals("big: above average in size", big.text());
    assertEquals("adj.all", big.label());
    // word counts are hexadecimal: 0a = 10 words
    WordNetCorpus.Entry many = WordNetCorpus.parse("00000001 03 n 0a w1 0 w2 0 w3 0 w4 0 w5 0 w6 0 w7 0 w8 0 w9 0 "
        + "w10 0 000 | ten words", 0);
    assertEquals("w1: ten words", many.text());
  }

  @Test
  void skipsTheLicenceHeaderAndRejectsGarbage() {
    assertNull(WordNetCorpus.parse("  1 This software and database is being provided", 0));
    assertThrows(IllegalArgumentException.class, () -> WordNetCorpus.parse("00001 03 n 01 x 0 000 no gloss", 0));
    assertThrows(IllegalArgumentException.class, () -> WordNetCorpus.parse("00001 77 n 01 x 0 000 | gloss", 0));
  }

  @Test
  void samplesAFixedCappedSubsetPerCategory() {
    List<WordNetCorpus.Entry> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      all.add(new WordNetCorpus.Entry(i, "a" + i, "noun.animal"));
    }
    for (int i = 100; i < 120; i++) {
      all.add(new WordNetCorpus.Entry(i, "p" + i, "noun.plant"));
    }
    for (int i = 200; i < 203; i++) {
      all.add(new WordNetCorpus.Entry(i, "t" + i, "noun.Tops"));
    }
    List<WordNetCorpus.Entry> s = WordNetCorpus.sample(all, 10, 5, 17);
    Map<String, Integer> counts = WordNetCorpus.counts(s);
    assertEquals(Map.of("noun.animal", 10, "noun.plant", 10), counts); // noun.Tops has fewer than 5
    assertEquals(s, WordNetCorpus.sample(all, 10, 5, 17));
    java.util.Collections.reverse(all);
    assertEquals(s, WordNetCorpus.sample(all, 10, 5, 17), "the input order must not matter");
    assertTrue(!s.equals(WordNetCorpus.sample(all, 10, 5, 18)), "another seed draws another sample");
  }
}
