package io.isrank.embed;

import io.isrank.probe.SeededHash;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The example corpus: WordNet 3.0 synsets as texts ("lemma: gloss"), labelled with their
 * lexicographer file (noun.animal, verb.motion, ...). Reads the database files of Debian's
 * {@code wordnet-base} package (data.noun, data.verb, data.adj, data.adv), which are openly
 * licensed (the WordNet 3.0 licence) and install offline from the distribution's mirror.
 */
final class WordNetCorpus {
  /** The 45 lexicographer files, by number (WordNet's lexnames(5WN)). */
  static final String[] LEXNAMES = {"adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal",
      "noun.artifact", "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event",
      "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object", "noun.person",
      "noun.phenomenon", "noun.plant", "noun.possession", "noun.process", "noun.quantity", "noun.relation",
      "noun.shape", "noun.state", "noun.substance", "noun.time", "verb.body", "verb.change", "verb.cognition",
      "verb.communication", "verb.competition", "verb.consumption", "verb.contact", "verb.creation",
      "verb.emotion", "verb.motion", "verb.perception", "verb.possession", "verb.social", "verb.stative",
      "verb.weather", "adj.ppl"};

  /** The database files in a fixed order; the index makes ids unique across parts of speech. */
  static final String[] FILES = {"data.noun", "data.verb", "data.adj", "data.adv"};

  /** One synset: a unique id, its text and its category. */
  public record Entry(long id, String text, String label) {}

  private WordNetCorpus() {}

  /**
   * Parses one line of a data file; null for the licence header (lines starting with spaces).
   * Format: {@code offset lex_filenum ss_type w_cnt(hex) word lex_id ... | gloss}.
   */
  static Entry parse(String line, int fileIndex) {
    if (line.isEmpty() || line.charAt(0) == ' ') {
      return null;
    }
    int bar = line.indexOf(" | ");
    if (bar < 0) {
      throw new IllegalArgumentException("not a WordNet data line (no gloss): " + abbreviate(line));
    }
    String[] f = line.substring(0, bar).split(" ");
    long offset = Long.parseLong(f[0]);
    int lexFile = Integer.parseInt(f[1]);
    if (lexFile < 0 || lexFile >= LEXNAMES.length) {
      throw new IllegalArgumentException("lexicographer file " + lexFile + " out of range: " + abbreviate(line));
    }
    int words = Integer.parseInt(f[3], 16);
    if (words < 1) {
      throw new IllegalArgumentException("synset without words: " + abbreviate(line));
    }
    String lemma = f[4].replace('_', ' ');
    int paren = lemma.indexOf('(');
    if (paren > 0) {
      lemma = lemma.substring(0, paren); // adjective markers such as "(a)"
    }
    String gloss = line.substring(bar + 3).trim();
    return new Entry(fileIndex * 100_000_000L + offset, lemma + ": " + gloss, LEXNAMES[lexFile]);
  }

  /** Reads all synsets of the four data files in {@code dir}. */
  public static List<Entry> read(Path dir) throws IOException {
    List<Entry> all = new ArrayList<>();
    for (int i = 0; i < FILES.length; i++) {
      Path file = dir.resolve(FILES[i]);
      if (!Files.isRegularFile(file)) {
        throw new IOException("'" + file + "' is missing; install WordNet with `apt-get install wordnet-base` "
            + "(or pass the folder holding data.noun, data.verb, data.adj and data.adv)");
      }
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          Entry e = parse(line, i);
          if (e != null) {
            all.add(e);
          }
        }
      }
    }
    return all;
  }

  /**
   * A reproducible sample: per category, the {@code perCategory} synsets with the smallest
   * seeded hash of their id; categories with fewer than {@code minPerCategory} synsets are left out
   * (a probe needs several examples per class in every fold).
   *
   * @return the chosen entries ordered by category then id
   */
  public static List<Entry> sample(List<Entry> all, int perCategory, int minPerCategory, long seed) {
    Map<String, List<Entry>> byLabel = new TreeMap<>();
    for (Entry e : all) {
      byLabel.computeIfAbsent(e.label(), k -> new ArrayList<>()).add(e);
    }
    List<Entry> out = new ArrayList<>();
    for (List<Entry> group : byLabel.values()) {
      if (group.size() < minPerCategory) {
        continue;
      }
      group.sort(Comparator.comparingLong((Entry e) -> SeededHash.of(seed, e.id())).thenComparingLong(Entry::id));
      List<Entry> chosen = new ArrayList<>(group.subList(0, Math.min(perCategory, group.size())));
      chosen.sort(Comparator.comparingLong(Entry::id));
      out.addAll(chosen);
    }
    return out;
  }

  /** Items per label, in label order. */
  public static Map<String, Integer> counts(List<Entry> entries) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    entries.stream().map(Entry::label).sorted().forEach(l -> counts.merge(l, 1, Integer::sum));
    return counts;
  }

  private static String abbreviate(String line) {
    return line.length() <= 80 ? line : line.substring(0, 80) + "...";
  }
}
