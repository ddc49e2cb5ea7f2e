/**
 * Tracking plans (Segment's Protocols): per source, a JSON Schema for each track event by name and
 * for identify traits, page and screen properties, checked on the collection path. A plan's mode
 * says what a violation costs: {@code allow} counts it, {@code omit} drops unplanned fields and keeps
 * the event, {@code block} sends the event to the quarantine. Owns the {@code tracking_plans} and
 * {@code tracking_plan_violations} tables and {@code /v1/tracking-plans}.
 */
package dev.tandem.plan;
