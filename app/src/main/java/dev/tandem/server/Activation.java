package dev.tandem.server;

import dev.tandem.audience.AudienceDefinition;
import dev.tandem.decide.Placement;
import java.util.List;

/** What marketing declares in tandem.yaml to act on profiles: audiences and placements. */
record Activation(List<AudienceDefinition> audiences, List<Placement> placements) {
    public static final Activation NONE = new Activation(List.of(), List.of());
}
