/**
 * Reading sections of the workspace file: {@link dev.tandem.config.ConfigNode} walks a parsed
 * section and turns every wrong value into one error naming its path, so each capability checks
 * its own section while the server reports file and line. {@link dev.tandem.config.Json} is the
 * one JSON mapper every package shares.
 */
package dev.tandem.config;
