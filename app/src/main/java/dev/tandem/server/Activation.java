package dev.tandem.server;

import dev.tandem.audience.AudienceDefinition;
import dev.tandem.connect.DestinationConfig;
import dev.tandem.decide.Placement;
import java.util.List;

/** What tandem.yaml declares to act on profiles: audiences and placements (marketing's), and the destinations data flows to (IT's). */
record Activation(
        List<AudienceDefinition> audiences, List<Placement> placements, List<DestinationConfig> destinations) {
    public static final Activation NONE = new Activation(List.of(), List.of(), List.of());
}
