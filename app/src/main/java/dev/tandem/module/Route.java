package dev.tandem.module;

/** A route as declared: method, Javalin path and who may call it; listed by {@link Routes#declared()}. */
public record Route(String method, String path, Access access) {}
