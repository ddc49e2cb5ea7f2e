/**
 * The web console at {@code /}: server-rendered JTE pages (precompiled at build time) with htmx and
 * Chart.js from their webjars. It is a client of Tandem's own JSON API, called over loopback with the
 * signed-in person's session, so a page shows exactly what the API shows that person, masked the same
 * way; it owns no tables and nothing imports it.
 */
package dev.tandem.console;
