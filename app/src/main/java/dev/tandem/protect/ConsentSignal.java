package dev.tandem.protect;

/** One choice read off an event: the customer granted or refused a purpose, through which signal. */
public record ConsentSignal(String purpose, boolean granted, String signal) {}
