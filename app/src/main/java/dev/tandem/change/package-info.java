/**
 * Changes of workspace objects, approved by risk tier. Every change of a destination, an audience,
 * a policy or another declared object, made through the admin API, {@code POST /v1/changes} or an
 * edited tandem.yaml, is a change record with its diff, author and a risk tier worked out by the
 * {@code changes:} rules of the policy (CEL). Low-tier changes apply at once; medium-tier ones wait
 * for one approval from the owning side, high-tier ones for two keys, one person from marketing and
 * one from IT, neither the author. An approval may attach conditions that become part of the
 * applied object. Composed after the capabilities whose objects it changes; they declare their
 * kinds through {@link dev.tandem.module.Changeable}.
 */
package dev.tandem.change;
