package dev.tandem.identity;

import java.util.List;

/**
 * A kind of identifier: its name, the dotted paths in an event it is read from (the first
 * present one wins), and how its values are normalised.
 */
record IdentifierType(String name, List<String[]> paths, Normalization normalization) {
    static IdentifierType of(String name, Normalization normalization, String... paths) {
        return new IdentifierType(name, java.util.Arrays.stream(paths).map(p -> p.split("\\.")).toList(), normalization);
    }
}
