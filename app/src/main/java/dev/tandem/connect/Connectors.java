package dev.tandem.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The connector types a server knows, by name: the built-in ones, and any a build adds with
 * {@link #with}. tandem.yaml's {@code type:} names one of these; {@code tandem destinations types}
 * lists them with their settings.
 */
public final class Connectors {
    private final List<ConnectorType> types;

    private Connectors(List<ConnectorType> types) {
        this.types = List.copyOf(types);
    }

    /** webhook, segment, file and kafka. */
    public static Connectors builtIn() {
        return new Connectors(
                List.of(new WebhookConnector(), new SegmentConnector(), new FileConnector(), new KafkaConnector()));
    }

    /** These and {@code type}; refused when its name is taken. */
    public Connectors with(ConnectorType type) {
        if (named(type.name()).isPresent()) {
            throw new IllegalArgumentException("a connector type named '" + type.name() + "' is registered already");
        }
        List<ConnectorType> all = new ArrayList<>(types);
        all.add(type);
        return new Connectors(all);
    }

    public Optional<ConnectorType> named(String name) {
        return types.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public List<ConnectorType> all() {
        return types;
    }

    public List<String> names() {
        return types.stream().map(ConnectorType::name).toList();
    }
}
