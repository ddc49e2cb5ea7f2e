package dev.tandem.decide;

import java.util.ArrayList;
import java.util.List;

/**
 * Results of an experiment per arm against the control: conversion rate, uplift (relative
 * change of the rate), the difference of rates with a 95% confidence interval (Wald, unpooled
 * variances), and the two-sided p-value of the two-proportion z-test (pooled variance).
 */
public final class ExperimentResults {
    static final double Z_95 = 1.959963984540054;

    private ExperimentResults() {}

    /** One arm's figures; the comparison fields are null for the control, or when either rate is undefined. */
    record ArmResult(
            String arm,
            boolean control,
            long exposed,
            long converted,
            Double rate,
            Double uplift,
            Comparison comparison) {}

    /** The difference of this arm's rate and the control's, its 95% interval, and the test's p-value. */
    public record Comparison(double difference, double low, double high, double pValue) {}

    static List<ArmResult> of(Experiment experiment, List<ExperimentStore.ArmCount> counts) {
        ExperimentStore.ArmCount control = count(counts, experiment.control().key());
        List<ArmResult> results = new ArrayList<>();
        for (Experiment.Arm arm : experiment.arms()) {
            ExperimentStore.ArmCount c = count(counts, arm.key());
            Double rate = c.exposed() == 0 ? null : c.converted() / (double) c.exposed();
            if (arm.control() || rate == null || control.exposed() == 0) {
                results.add(new ArmResult(arm.key(), arm.control(), c.exposed(), c.converted(), rate, null, null));
                continue;
            }
            double base = control.converted() / (double) control.exposed();
            Double uplift = base == 0 ? null : (rate - base) / base;
            results.add(new ArmResult(
                    arm.key(),
                    false,
                    c.exposed(),
                    c.converted(),
                    rate,
                    uplift,
                    compare(c.converted(), c.exposed(), control.converted(), control.exposed())));
        }
        return results;
    }

    /** Compares a treated group's conversions with a control's (journeys compare entrants with their holdout this way). */
    public static Comparison compare(long converted, long exposed, long controlConverted, long controlExposed) {
        double p1 = converted / (double) exposed;
        double p0 = controlConverted / (double) controlExposed;
        double difference = p1 - p0;
        double se = Math.sqrt(p1 * (1 - p1) / exposed + p0 * (1 - p0) / controlExposed);
        double pooled = (converted + controlConverted) / (double) (exposed + controlExposed);
        double pooledSe = Math.sqrt(pooled * (1 - pooled) * (1.0 / exposed + 1.0 / controlExposed));
        double pValue = pooledSe == 0 ? 1.0 : 2 * (1 - normalCdf(Math.abs(difference) / pooledSe));
        return new Comparison(difference, difference - Z_95 * se, difference + Z_95 * se, pValue);
    }

    /** The standard normal distribution function. */
    static double normalCdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    /** Complementary error function, Chebyshev fit with fractional error under 1.2e-7 everywhere. */
    static double erfc(double x) {
        double t = 1.0 / (1.0 + 0.5 * Math.abs(x));
        double y = t
                * Math.exp(
                        -x * x
                                - 1.26551223
                                + t
                                        * (1.00002368
                                                + t
                                                        * (0.37409196
                                                                + t
                                                                        * (0.09678418
                                                                                + t
                                                                                        * (-0.18628806
                                                                                                + t
                                                                                                        * (0.27886807
                                                                                                                + t
                                                                                                                        * (-1.13520398
                                                                                                                                + t
                                                                                                                                        * (1.48851587
                                                                                                                                                + t
                                                                                                                                                        * (-0.82215223
                                                                                                                                                                + t
                                                                                                                                                                        * 0.17087277)))))))));
        return x >= 0 ? y : 2 - y;
    }

    private static ExperimentStore.ArmCount count(List<ExperimentStore.ArmCount> counts, String arm) {
        return counts.stream()
                .filter(c -> c.arm().equals(arm))
                .findFirst()
                .orElse(new ExperimentStore.ArmCount(arm, 0, 0));
    }
}
