/**
 * How a capability plugs into a running Tandem: a {@link dev.tandem.module.Module} wires itself
 * through a {@link dev.tandem.module.Wiring} (stages, work between batches, routes with their
 * {@link dev.tandem.module.Access}, parts to start and close); the server composes the modules in
 * data-flow order. Owns no table.
 */
package dev.tandem.module;
