/**
 * The door: the Segment-compatible tracking API. It authenticates write keys, enforces size
 * limits, validates and enriches each event (messageId, receivedAt, corrected timestamp), and
 * commits accepted events to the inbox and refused ones to the quarantine, with their reason,
 * before it answers 200. Webhook sources map a SaaS tool's own payloads into events with CEL. It also answers browsers (CORS, the origins each source accepts) and
 * what the SDKs fetch before they send (settings, RudderStack's source configuration, the SDK
 * bundles). Owns the {@code inbox}, {@code quarantine} and {@code source_origins} tables and their routes.
 */
package dev.tandem.collect;
