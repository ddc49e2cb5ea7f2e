/**
 * Governance as code: the policy gate that decides every flow of data out of Tandem (deny,
 * allow, or allow with obligations such as hashing or masking, each with its reasons), the
 * decision log, and privacy requests (access and erasure, shaped like OpenDSR) with the
 * suppression of erased identifiers.
 */
package dev.tandem.govern;
