/**
 * Personalization decisions: placements with ordered CEL rules and a default, experiments with
 * weighted variants and a control group, {@code POST /v1/decide}, the {@code experiment} stage
 * that keeps assignments and conversions from {@code Experiment Viewed} and goal events, and
 * experiment results; what a write key may ask (user tokens, a rate) and what only
 * {@code decide:explain} tokens see. Owns the {@code experiment_assignments} and
 * {@code decide_secrets} tables.
 */
package dev.tandem.decide;
