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
        if (readers.isEmpty()) {
            return NONE;
        }
        if (readers.size() == 1) {
            return readers.get(0);
        }
        java.util.List<TraitReads> all = java.util.List.copyOf(readers);
        return of(
                name -> all.stream().anyMatch(r -> r.reads(name)),
                () -> all.stream().mapToLong(TraitReads::version).sum());
    }
}
