/**
 * The {@code tandem} command line: {@code serve}, {@code demo}, {@code simulate},
 * {@code sources}, {@code quarantine} and {@code import} (files of rows to events, resumable). Commands that manage a running server talk to it over
 * its HTTP API with the admin token, so they work the same against a remote server.
 */
package dev.tandem.cli;
