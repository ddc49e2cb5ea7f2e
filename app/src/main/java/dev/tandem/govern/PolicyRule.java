package dev.tandem.govern;

import dev.tandem.expr.Expression;

/**
 * One rule of a policy. {@code when} (over {@code flow} and {@code subject}; null = always) says
 * whether the rule applies to a flow; {@code fields} (over {@code flow} and {@code field}) picks
 * the fields an obligation applies to. {@code reason} is what the decision says when the rule
 * applied; {@code to} is the precision of {@code coarsen} (year, month; or decimals for coordinates).
 */
record PolicyRule(String id, String reason, Expression when, Expression fields, Effect effect, String to) {}
