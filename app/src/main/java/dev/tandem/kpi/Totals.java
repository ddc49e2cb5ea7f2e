package dev.tandem.kpi;

/**
 * What a set of buckets adds up to: answers counted ({@code n}), the NPS classes (top_box, ratio and
 * conversion keep their hits in {@code promoters}), and the sum and sum of squares of the values.
 */
record Totals(long n, long promoters, long passives, long detractors, double total, double squares) {
    static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0);

    Totals plus(Totals o) {
        return new Totals(
                n + o.n,
                promoters + o.promoters,
                passives + o.passives,
                detractors + o.detractors,
                total + o.total,
                squares + o.squares);
    }

    Totals minus(Totals o) {
        return new Totals(
                n - o.n,
                promoters - o.promoters,
                passives - o.passives,
                detractors - o.detractors,
                total - o.total,
                squares - o.squares);
    }
}
