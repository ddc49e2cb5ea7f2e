/**
 * Values as they travel on the wire, shared by every capability's routes: event times (ISO-8601
 * parsed without java.time on the fast path), opaque pagination cursors, and write keys read from
 * HTTP Basic or the body. Owns no table and no route.
 */
package dev.tandem.wire;
