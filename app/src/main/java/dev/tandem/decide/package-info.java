/**
 * Personalization decisions: placements with ordered CEL rules and a default, experiments with
 * weighted variants and a control group, {@code POST /v1/decide}, the {@code experiment} stage
 * that keeps assignments and conversions from {@code Experiment Viewed} and goal events, and
 * experiment results. Owns the {@code experiment_assignments} table.
 */
package dev.tandem.decide;
