package io.isrank.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a long stage in the log: item i of n, elapsed time and a linear ETA.
 * Thread-safe: concurrent fits report through one instance.
 */
public final class Progress {
  private static final Logger LOG = LoggerFactory.getLogger("io.isrank");
  private final String stage;
  private final int total;
  private final long started = System.nanoTime();
  private int done;

  public Progress(String stage, int total) {
    this.stage = stage;
    this.total = total;
  }

  /** Records one finished item and logs it with elapsed time and ETA. */
  public synchronized void step(String what) {
    done++;
    double elapsed = (System.nanoTime() - started) / 1e9;
    double eta = done == 0 ? 0 : elapsed / done * (total - done);
    LOG.info("{} {}/{}: {}; elapsed {}, ETA {}", stage, done, total, what, seconds(elapsed), seconds(eta));
  }

  /** "12.3s", "4m05s", "1h02m". */
  public static String seconds(double s) {
    if (s < 60) {
      return String.format(java.util.Locale.ROOT, "%.1fs", s);
    }
    long t = Math.round(s);
    if (t < 3600) {
      return String.format(java.util.Locale.ROOT, "%dm%02ds", t / 60, t % 60);
    }
    return String.format(java.util.Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60);
  }
}
