package dev.tandem.simulate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * An event as a client would send it, the moment it happens, the person it belongs to, and how
 * far the sending device's clock is off (its timestamps and sentAt are both shifted by it).
 */
record SimulatedEvent(Instant at, String personId, ObjectNode json, Duration clockSkew) {}
