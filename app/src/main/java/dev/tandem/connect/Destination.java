package dev.tandem.connect;

/** One running destination: its configuration, the open connector, its delivery thread and its counts. */
record Destination(DestinationConfig config, Connector connector, DeliveryWorker worker, DestinationStats stats) {
    String key() {
        return config.key();
    }
}
