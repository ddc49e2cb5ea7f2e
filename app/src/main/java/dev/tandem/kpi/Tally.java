package dev.tandem.kpi;

/**
 * What one batch adds to one bucket, added to in place on the processor's thread (one per bucket a
 * batch touches, not one object per event).
 */
final class Tally {
    /** Which bucket: the KPI, the dimension and its value ('' and '' for the total), the UTC day. */
    record Key(String kpi, String dimension, String member, String day) {}

    long n;
    long promoters;
    long passives;
    long detractors;
    double total;
    double squares;

    void add(Tally o) {
        n += o.n;
        promoters += o.promoters;
        passives += o.passives;
        detractors += o.detractors;
        total += o.total;
        squares += o.squares;
    }
}
