package dev.tandem.server;

import dev.tandem.audience.AudienceDefinition;
import dev.tandem.connect.DestinationConfig;
import dev.tandem.decide.Placement;
import dev.tandem.journey.JourneyModule;
import java.util.List;
import java.util.Map;

/** What tandem.yaml declares to act on profiles: audiences, placements and journeys (marketing's), and the destinations data flows to (IT's). */
record Activation(
        List<AudienceDefinition> audiences,
        List<Placement> placements,
        List<DestinationConfig> destinations,
        JourneyModule.Declared journeys) {
    public static final Activation NONE =
            new Activation(List.of(), List.of(), List.of(), new JourneyModule.Declared(List.of(), Map.of()));
}
