/**
 * The one expression language: CEL over a documented, typed view of a profile. Audience
 * conditions, decision rules and policies compile here; a bad expression is refused with its
 * position, and each compiled expression knows which parts of the profile it reads.
 */
package dev.tandem.expr;
