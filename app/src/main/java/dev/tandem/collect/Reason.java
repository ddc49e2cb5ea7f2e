package dev.tandem.collect;

/** Why an event was refused: a stable code, a sentence for people, and the field at fault. */
record Reason(String code, String message, String field) {}
