package dev.tandem.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What Tandem gives a connector it opens: the destination's key, the clock (for timestamps a
 * connector writes, such as file rotation), the one JSON mapper, and the server's data directory
 * (where a relative file path is resolved).
 */
public record ConnectorContext(String destination, Clock clock, ObjectMapper mapper, Path dataDir) {}
