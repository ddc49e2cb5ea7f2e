package dev.tandem.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

/** A track event a stage emitted about profile {@code profileId}, for consumers after it (journeys, destinations). */
public record EmittedEvent(long profileId, String event, JsonNode properties) {}
