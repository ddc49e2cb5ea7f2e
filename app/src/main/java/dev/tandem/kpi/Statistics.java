package dev.tandem.kpi;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * The 95% intervals of KPI values (formulas in docs/kpis.md). NPS by the adjusted-Wald method,
 * proportions by Wilson's score interval, means by Student's t (quantiles from commons-math3);
 * differences between two independent estimates by the same families: NPS by the sum of the adjusted
 * variances, proportions by Newcombe's hybrid score method (from the two Wilson intervals), means by
 * Welch's t.
 */
final class Statistics {
    static final double Z = 1.959963984540054;

    private Statistics() {}

    /** NPS in points (-100..100): the interval is centred on the adjusted estimate, n + 3 and 3/4 added to promoters and detractors. */
    static Estimate nps(long n, long promoters, long detractors) {
        if (n == 0) {
            return Estimate.none(0);
        }
        double value = 100.0 * (promoters - detractors) / n;
        double m = n + 3;
        double p = (promoters + 0.75) / m;
        double d = (detractors + 0.75) / m;
        double adjusted = 100.0 * (p - d);
        double variance = 100.0 * 100.0 * (p + d - (p - d) * (p - d)) / m;
        double half = Z * Math.sqrt(variance);
        return new Estimate(value, Math.max(-100, adjusted - half), Math.min(100, adjusted + half), n, variance);
    }

    /** A share in percent (0..100) with Wilson's score interval. */
    static Estimate proportion(long n, long hits) {
        if (n == 0) {
            return Estimate.none(0);
        }
        double p = (double) hits / n;
        double z2 = Z * Z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new Estimate(
                100 * p,
                100 * Math.max(0, centre - half),
                100 * Math.min(1, centre + half),
                n,
                100 * 100 * p * (1 - p) / n);
    }

    /** A mean with Student's t interval (n - 1 degrees of freedom); no interval under two answers. */
    static Estimate mean(long n, double sum, double squares) {
        if (n == 0) {
            return Estimate.none(0);
        }
        double mean = sum / n;
        if (n < 2) {
            return new Estimate(mean, Double.NaN, Double.NaN, n, Double.NaN);
        }
        double sd2 = Math.max(0, (squares - n * mean * mean) / (n - 1));
        double se2 = sd2 / n;
        double half = t(n - 1) * Math.sqrt(se2);
        return new Estimate(mean, mean - half, mean + half, n, se2);
    }

    /** The 97.5% quantile of Student's t with {@code df} degrees of freedom. */
    static double t(double df) {
        return new TDistribution(null, df).inverseCumulativeProbability(0.975);
    }

    /** A difference {@code a - b} with its 95% interval; NaN bounds when either side has none. */
    record Difference(double value, double low, double high) {
        boolean significant() {
            return !Double.isNaN(low) && (low > 0 || high < 0);
        }
    }

    static Difference difference(Measure measure, Estimate a, Estimate b, Totals ta, Totals tb) {
        if (!a.hasValue() || !b.hasValue()) {
            return new Difference(Double.NaN, Double.NaN, Double.NaN);
        }
        double d = a.value() - b.value();
        if (!a.hasInterval() || !b.hasInterval()) {
            return new Difference(d, Double.NaN, Double.NaN);
        }
        return switch (measure) {
            case Measure.Nps x -> {
                // the adjusted estimates' difference, and the sum of their variances
                double diff = adjusted(ta) - adjusted(tb);
                double half = Z * Math.sqrt(a.variance() + b.variance());
                yield new Difference(d, diff - half, diff + half);
            }
            case Measure.Mean x -> {
                double se2 = a.variance() + b.variance();
                double dof = se2
                        * se2
                        / (a.variance() * a.variance() / (a.n() - 1) + b.variance() * b.variance() / (b.n() - 1));
                double half = t(Double.isFinite(dof) && dof >= 1 ? dof : 1) * Math.sqrt(se2);
                yield new Difference(d, d - half, d + half);
            }
            default -> {
                // Newcombe's hybrid score interval, from each side's Wilson interval
                double low = d - Math.sqrt(sq(a.value() - a.low()) + sq(b.high() - b.value()));
                double high = d + Math.sqrt(sq(a.high() - a.value()) + sq(b.value() - b.low()));
                yield new Difference(d, low, high);
            }
        };
    }

    private static double adjusted(Totals t) {
        double m = t.n() + 3;
        return 100.0 * ((t.promoters() + 0.75) / m - (t.detractors() + 0.75) / m);
    }

    private static double sq(double v) {
        return v * v;
    }

    /** The estimate of a KPI over these totals, by its type; counts and sums carry no interval. */
    static Estimate of(Measure measure, Totals t) {
        return switch (measure) {
            case Measure.Nps x -> nps(t.n(), t.promoters(), t.detractors());
            case Measure.TopBox x -> proportion(t.n(), t.promoters());
            case Measure.Ratio x -> proportion(t.n(), t.promoters());
            case Measure.Conversion x -> proportion(t.n(), t.promoters());
            case Measure.Mean x -> mean(t.n(), t.total(), t.squares());
            case Measure.Count x -> new Estimate(t.n(), Double.NaN, Double.NaN, t.n(), Double.NaN);
            case Measure.Sum x -> new Estimate(t.total(), Double.NaN, Double.NaN, t.n(), Double.NaN);
        };
    }
}
