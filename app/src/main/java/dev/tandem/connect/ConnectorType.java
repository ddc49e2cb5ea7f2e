package dev.tandem.connect;

import java.util.List;

/**
 * A kind of destination ({@code webhook}, {@code segment}, {@code file}...), in the spirit of Kafka
 * Connect's sink: it declares its settings once ({@link #settings}; the same declaration validates
 * tandem.yaml and is listed by {@code tandem destinations types}), how it takes items
 * ({@link #style}) and what data it is for ({@link #needs}), and opens a {@link Connector} for one
 * destination. Adding a connector is one class implementing this, registered in
 * {@link Connectors}, and its tests (the contract suite runs against every registered type).
 */
public interface ConnectorType {
    /** The name tandem.yaml uses in {@code type:}, lower-case. */
    String name();

    /** One line for {@code tandem destinations types}. */
    String description();

    /** Every setting, in the order the docs list them. */
    List<SettingSpec<?>> settings();

    /** How a destination with these (validated) settings takes items. */
    DeliveryStyle style(Settings settings);

    /**
     * What is wrong with these settings taken together (each was valid alone), such as a password
     * without the mechanism that uses it; empty when nothing is. Read when tandem.yaml is loaded, so
     * the error names the line of {@code settings}.
     */
    default java.util.Optional<String> problem(Settings settings) {
        return java.util.Optional.empty();
    }

    default DataNeeds needs() {
        return DataNeeds.ANY;
    }

    /** Opens the connector for one destination; {@code settings} were validated against {@link #settings}. */
    Connector open(Settings settings, ConnectorContext context);
}
