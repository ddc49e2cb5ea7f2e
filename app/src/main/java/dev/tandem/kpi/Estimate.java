package dev.tandem.kpi;

/**
 * A KPI's value over some buckets with its 95% confidence interval ({@code low}, {@code high}; NaN
 * when it has none, such as a count) and the answers it rests on. {@code value} is NaN with no answers.
 * {@code variance} is the variance of the estimate the interval is built on, for differences.
 */
record Estimate(double value, double low, double high, long n, double variance) {
    static Estimate none(long n) {
        return new Estimate(Double.NaN, Double.NaN, Double.NaN, n, Double.NaN);
    }

    boolean hasValue() {
        return !Double.isNaN(value);
    }

    boolean hasInterval() {
        return !Double.isNaN(low);
    }
}
