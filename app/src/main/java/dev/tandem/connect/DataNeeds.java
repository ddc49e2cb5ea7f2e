package dev.tandem.connect;

import java.util.List;

/**
 * What data a connector is for: the purposes a destination of its type may declare (empty: any of
 * the catalog's) and the field classes it is meant to carry ({@code general}, {@code personal};
 * restricted data never leaves Tandem whatever a connector says). Checked when tandem.yaml is read
 * and listed by {@code tandem destinations types}.
 */
public record DataNeeds(List<String> purposes, List<String> fieldClasses) {
    public static final DataNeeds ANY = new DataNeeds(List.of(), List.of("general", "personal"));

    public DataNeeds {
        purposes = List.copyOf(purposes);
        fieldClasses = List.copyOf(fieldClasses);
    }
}
