/**
 * People: named people with a team and a role, one-time sign-in links, passwords (Argon2id),
 * sign-in with throttling and lockout and no user enumeration, and sessions carried by a cookie
 * with a CSRF token. Owns the {@code people}, {@code sign_in_links} and {@code sessions} tables.
 */
package dev.tandem.people;
