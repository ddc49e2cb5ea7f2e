package dev.tandem.identity;

import dev.tandem.config.FieldPath;
import java.util.List;

/**
 * A kind of identifier: its name, the dotted paths in an event it is read from (the first
 * present one wins), and how its values are normalised.
 */
record IdentifierType(String name, List<FieldPath> paths, Normalization normalization) {
    static IdentifierType of(String name, Normalization normalization, String... paths) {
        return new IdentifierType(
                name, java.util.Arrays.stream(paths).map(FieldPath::of).toList(), normalization);
    }
}
