/**
 * The few exceptions every capability throws when a request cannot be served. The server maps
 * each one to an HTTP status and the JSON error shape {@code {"error": {"code", "message",
 * "field"}}} in one place, so packages never build error responses themselves.
 */
package dev.tandem.error;
