package dev.tandem.collect;

import java.time.Instant;

/** A place events come from: a website, an app, a store system. The write key authenticates it. */
public record Source(String id, String name, String writeKey, Instant createdAt) {}
