package dev.tandem.pipeline;

/**
 * A stage's name for what it worked out from one event alone, ahead of the batch
 * ({@link Stage#prepare}), kept on the {@link BatchItem} until the stage's {@code process} reads it.
 * Each stage holds its own keys, so no stage reads another's.
 */
public final class Prepared<T> {
    private final String name;

    public Prepared(String name) {
        this.name = name;
    }

    @Override
    public String toString() {
        return name;
    }
}
