/**
 * The {@code tandem} command line: {@code serve}, {@code demo}, {@code simulate},
 * {@code sources} and {@code quarantine}. Commands that manage a running server talk to it over
 * its HTTP API with the admin token, so they work the same against a remote server.
 */
package dev.tandem.cli;
