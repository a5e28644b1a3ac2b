package io.isrank.ranking;

import static io.isrank.rank.CostTable.Cost.DIM;
import static io.isrank.rank.CostTable.Cost.MEMORY_BYTES;
import static io.isrank.rank.CostTable.Cost.MODEL_BYTES;
import static io.isrank.rank.CostTable.Cost.MS_PER_ITEM;
import static io.isrank.rank.CostTable.Cost.PARAMETERS;

import io.isrank.estimate.Direction;
import io.isrank.estimate.JointDensity;
import io.isrank.estimate.Moments;
import io.isrank.estimate.PairSelection;
import io.isrank.estimate.ScoreSummary;
import io.isrank.fit.EstimatorConfig;
import io.isrank.fit.FitDiagnostics;
import io.isrank.fit.FittedDensities;
import io.isrank.load.ModelMetadata;
import io.isrank.math.Whitening;
import io.isrank.rank.CostTable;
import io.isrank.rank.Explanations;
import io.isrank.rank.Informativeness;
import io.isrank.rank.ModelScore;
import io.isrank.rank.Normalisation;
import io.isrank.rank.Ranking;
import io.isrank.rank.Statistics;
import io.isrank.reduce.DimensionSelection;
import io.isrank.report.PairRow;
import io.isrank.report.RankingRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rank stage: from the scoring pass's sums and the fitted densities to the two tables a run
 * reports — one row per ordered pair (IS, its interval, entropies, the bias correction, the fits)
 * and one per model (rank, informativeness and its interval, costs and their efficiencies, group,
 * explanation). Pure: no Spark, no state besides its settings.
 */
public final class RankTables {
  /** The two tables. */
  public record Tables(List<RankingRow> ranking, List<PairRow> pairs) {}

  /**
   * What the tables are built from.
   *
   * @param whitenings     per model, its reduction (dimensions, explained variance)
   * @param fitRows        rows the densities were fitted on (for the held-out bias)
   * @param mayBeTruncated [u][v]: a cap may have cut information shared by u and v
   * @param choices        per model, in model order, why it kept its directions (empty: not recorded)
   */
  public record Inputs(List<String> models, Map<String, Whitening> whitenings, long fitRows, PairSelection selection,
      FittedDensities fitted, ScoreSummary summary, boolean[][] mayBeTruncated, ModelMetadata metadata,
      List<DimensionSelection.Choice> choices) {}

  private final RankConfig rank;
  private final EstimatorConfig estimator;

  public RankTables(RankConfig rank, EstimatorConfig estimator) {
    this.rank = rank;
    this.estimator = estimator;
  }

  /** The ranking and pairs tables of a run's scores. */
  public Tables build(Inputs in) {
    List<String> models = in.models();
    Map<String, Whitening> whitenings = in.whitenings();
    PairSelection selection = in.selection();
    FittedDensities fitted = in.fitted();
    ScoreSummary summary = in.summary();
    boolean[][] mayBeTruncated = in.mayBeTruncated();
    List<PairRow> pairRows = new ArrayList<>();
    Normalisation norm = rank.normalisation();
    int replicates = summary.replicates();
    double alpha = (1 - rank.confidence()) / 2;
    List<Direction> directions = selection.directions();
    double[] normalised = new double[directions.size()];
    double[][] replicateNormalised = new double[replicates][directions.size()];
    for (int i = 0; i < directions.size(); i++) {
      Direction d = directions.get(i);
      String source = models.get(d.source());
      String target = models.get(d.target());
      Whitening ws = whitenings.get(source);
      Whitening wt = whitenings.get(target);
      Moments s = summary.sufficiency(i);
      // held-out bias of the joint, of its source block and of the target density (HeldOutBias)
      JointDensity joint = fitted.joints().get(d.pair());
      double biasJoint = bias(joint.joint(), in.fitRows());
      double biasSource = bias(d.sourceFirst() ? joint.firstMarginal() : joint.secondMarginal(), in.fitRows());
      double biasTarget = bias(estimator.targetFromJoint()
          ? (d.sourceFirst() ? joint.secondMarginal() : joint.firstMarginal())
          : fitted.marginals()[d.target()], in.fitRows());
      double correction = biasJoint - biasSource - biasTarget;
      double sufficiency = s.mean() + correction;
      double entropy = -summary.logTarget(i).mean() - biasTarget;
      double conditionalEntropy = -summary.logConditional(i).mean() - (biasJoint - biasSource);
      double marginalBias = bias(fitted.marginals()[d.target()], in.fitRows());
      double divisor = norm.divisor(target, wt.originalDim(), wt.reducedDim(),
          -summary.logMarginal(d.target()).mean() - marginalBias);
      normalised[i] = sufficiency / divisor;
      double[] reps = new double[replicates];
      for (int r = 0; r < replicates; r++) {
        reps[r] = summary.replicateSufficiency(i, r) + correction;
        double repDivisor = norm == Normalisation.ENTROPY
            ? norm.divisor(target, wt.originalDim(), wt.reducedDim(),
                summary.replicateEntropy(d.target(), r) - marginalBias)
            : divisor;
        replicateNormalised[r][i] = reps[r] / repDivisor;
      }
      FitDiagnostics fd = fitted.jointDiagnostics().get(d.pair());
      pairRows.add(new PairRow(source, target, sufficiency, normalised[i], s.standardError(),
          replicates > 0 ? Statistics.percentile(reps, 100 * alpha) : null,
          replicates > 0 ? Statistics.percentile(reps, 100 * (1 - alpha)) : null,
          entropy, conditionalEntropy, correction, in.fitRows(), summary.rows(),
          ws.originalDim(), wt.originalDim(), ws.reducedDim(), wt.reducedDim(),
          mayBeTruncated.length > 0 && mayBeTruncated[d.source()][d.target()],
          fd.components(), fd.iterations(), fd.logLikelihood(), fd.converged()));
    }
    List<ModelScore> scores = new ArrayList<>();
    List<Integer> sourceIndices = directions.stream().map(Direction::source).distinct().toList();
    for (int s : sourceIndices) {
      List<Integer> mine = new ArrayList<>();
      for (int i = 0; i < directions.size(); i++) {
        if (directions.get(i).source() == s) {
          mine.add(i);
        }
      }
      double[] values = mine.stream().mapToDouble(i -> normalised[i]).toArray();
      double[][] reps = new double[replicates][];
      for (int r = 0; r < replicates; r++) {
        final int rr = r;
        reps[r] = mine.stream().mapToDouble(i -> replicateNormalised[rr][i]).toArray();
      }
      scores.add(Informativeness.score(models.get(s), values, reps, rank.confidence()));
    }
    List<Ranking.RankedModel> ranked = Ranking.rank(scores);
    int m = models.size();
    double[][] matrix = new double[m][m];
    for (double[] row : matrix) {
      java.util.Arrays.fill(row, Double.NaN);
    }
    for (int i = 0; i < directions.size(); i++) {
      matrix[directions.get(i).source()][directions.get(i).target()] = normalised[i];
    }
    int[] ranks = new int[m];
    for (Ranking.RankedModel r : ranked) {
      ranks[models.indexOf(r.score().model())] = r.rank();
    }
    int[] groups = Explanations.groups(matrix);

    // costs over the ranked models, in rank order
    int n = ranked.size();
    double[] info = new double[n];
    Map<CostTable.Cost, Double[]> known = new java.util.EnumMap<>(CostTable.Cost.class);
    for (CostTable.Cost c : CostTable.Cost.values()) {
      known.put(c, new Double[n]);
    }
    for (int i = 0; i < n; i++) {
      String name = ranked.get(i).score().model();
      info[i] = ranked.get(i).score().informativeness();
      ModelMetadata.Entry e = in.metadata().of(name);
      known.get(CostTable.Cost.DIM)[i] = (double) whitenings.get(name).originalDim();
      known.get(CostTable.Cost.PARAMETERS)[i] = e.parameters();
      known.get(CostTable.Cost.MS_PER_ITEM)[i] = e.msPerItem();
      known.get(CostTable.Cost.MODEL_BYTES)[i] = e.modelBytes();
      known.get(CostTable.Cost.MEMORY_BYTES)[i] = e.memoryBytes();
    }
    CostTable costs = new CostTable(ranked.stream().map(r -> r.score().model()).toList(), info, known);
    String[] notes = new String[m];
    for (int i = 0; i < n; i++) {
      notes[models.indexOf(ranked.get(i).score().model())] = costs.note(i);
    }
    List<Explanations.Explanation> explained = Explanations.explain(models, ranks, matrix, groups, notes);

    List<RankingRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Ranking.RankedModel r = ranked.get(i);
      String name = r.score().model();
      int index = models.indexOf(name);
      Whitening w = whitenings.get(name);
      Double entropy = selection.targets()[index]
          ? -summary.logMarginal(index).mean() - bias(fitted.marginals()[index], in.fitRows()) : null;
      double is = r.score().informativeness();
      Explanations.Explanation e = explained.get(index);
      rows.add(new RankingRow(r.rank(), name, is, r.score().lower(), r.score().upper(),
          r.score().mean(), r.medianTied(), r.score().targets(), w.originalDim(), w.reducedDim(),
          w.explainedVarianceRatio(), in.choices().isEmpty() ? null : in.choices().get(index).reason(),
          entropy,
          costs.value(PARAMETERS, i), costs.value(MS_PER_ITEM, i), costs.value(MODEL_BYTES, i),
          costs.value(MEMORY_BYTES, i),
          costs.efficiency(DIM, i), costs.efficiency(PARAMETERS, i), costs.efficiency(MS_PER_ITEM, i),
          costs.efficiency(MODEL_BYTES, i), costs.efficiency(MEMORY_BYTES, i),
          costs.onFront(DIM, i), costs.onFront(PARAMETERS, i), costs.onFront(MS_PER_ITEM, i),
          costs.onFront(MODEL_BYTES, i), costs.onFront(MEMORY_BYTES, i),
          groups[index] + 1, e.strongestTarget(), e.weakestTarget(), e.bestSimulator(), e.sentence()));
    }
    return new Tables(rows, pairRows);
  }

  /** A density's held-out bias in nats per row, or 0 with estimator.bias-correction off. */
  private double bias(io.isrank.math.Mixture density, long fitRows) {
    return estimator.biasCorrection() ? io.isrank.estimate.HeldOutBias.of(density, fitRows) : 0.0;
  }
}
