package dev.tandem.audience;

/**
 * A stored audience: its definition, where it was declared ({@code workspace} for tandem.yaml,
 * {@code api}), and its state.
 */
public record Audience(long id, AudienceDefinition definition, String origin, State state) {
    /**
     * {@code computing} while the background computation runs, then {@code ready}; {@code scannedTo}
     * is the highest profile id the computation has done; times are epoch milliseconds.
     */
    public record State(String status, long scannedTo, long size, long updatedAt, Long computedAt) {}

    public String key() {
        return definition.key();
    }

    boolean computing() {
        return state.status().equals(Audiences.COMPUTING);
    }
}
