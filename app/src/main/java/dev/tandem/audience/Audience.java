package dev.tandem.audience;

import dev.tandem.config.WireName;

/**
 * A stored audience: its definition, where it was declared ({@code workspace} for tandem.yaml,
 * {@code api}), and its state.
 */
public record Audience(long id, AudienceDefinition definition, Origin origin, State state) {
    /**
     * {@code computing} while the background computation runs, then {@code ready}; {@code scannedTo}
     * is the highest profile id the computation has done; times are epoch milliseconds.
     */
    public record State(Status status, long scannedTo, long size, long updatedAt, Long computedAt) {}

    /** Where an audience was declared: tandem.yaml owns {@code workspace} ones, the API {@code api} ones. */
    public enum Origin implements WireName {
        WORKSPACE,
        API;

        /** The origin named in a stored row, or null when the name is not one. */
        static Origin named(String name) {
            return WireName.named(Origin.class, name);
        }
    }

    /** Whether the background computation still runs, it is done, or the audience is deleted (and purged by the stage). */
    public enum Status implements WireName {
        COMPUTING,
        READY,
        DELETED;

        /** The status named in a stored row, or null when the name is not one. */
        static Status named(String name) {
            return WireName.named(Status.class, name);
        }
    }

    public String key() {
        return definition.key();
    }

    boolean computing() {
        return state.status() == Status.COMPUTING;
    }
}
