package io.isrank.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** The shuffle settings isrank's sessions start with, and that a user's own setting wins. */
class SessionsTest {
  @Test
  void shufflesAreWrittenOnceUnlessTheUserChoseAWriter() {
    assertEquals(Map.of("spark.shuffle.sort.bypassMergeThreshold", "0"),
        Sessions.shuffleDefaults(new SparkConf(false)));
    SparkConf chosen = new SparkConf(false).set("spark.shuffle.sort.bypassMergeThreshold", "200");
    assertEquals(Map.of(), Sessions.shuffleDefaults(chosen));
  }
}
