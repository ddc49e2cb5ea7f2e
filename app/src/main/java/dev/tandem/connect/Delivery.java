package dev.tandem.connect;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One item to deliver: a Segment-spec message (identify, track, or delete for an erasure) as it
 * may leave Tandem, after the policy gate's obligations. {@code id} is its idempotency key, the
 * same on every attempt and after a restart; it is also the message's {@code messageId}.
 */
public record Delivery(String id, long profileId, ObjectNode message) {}
