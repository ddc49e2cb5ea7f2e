package dev.tandem.pipeline;

/**
 * Which personal traits a stage reads off profiles (audience conditions, say), so the stage that
 * loads profiles decrypts those and no others. {@link #version()} moves whenever the answer may
 * have changed, so cached profiles are loaded again with the traits now needed.
 */
public interface TraitReads {
    TraitReads NONE = of(name -> false, () -> 0);

    boolean reads(String trait);

    long version();

    static TraitReads of(java.util.function.Predicate<String> reads, java.util.function.LongSupplier version) {
        return new TraitReads() {
            @Override
            public boolean reads(String trait) {
                return reads.test(trait);
            }

            @Override
            public long version() {
                return version.getAsLong();
            }
        };
    }

    /** Reads what any of these read; its version moves when any of theirs does. */
    static TraitReads anyOf(java.util.List<TraitReads> readers) {
        // stages that read no trait drop out, so the usual case (only the audience stage reads) is that reader itself
        TraitReads[] all = readers.stream().filter(r -> r != NONE).toArray(TraitReads[]::new);
        if (all.length == 0) {
            return NONE;
        }
        if (all.length == 1) {
            return all[0];
        }
        return of(
                name -> {
                    for (TraitReads r : all) {
                        if (r.reads(name)) {
                            return true;
                        }
                    }
                    return false;
                },
                () -> {
                    long sum = 0;
                    for (TraitReads r : all) {
                        sum += r.version();
                    }
                    return sum;
                });
    }
}
