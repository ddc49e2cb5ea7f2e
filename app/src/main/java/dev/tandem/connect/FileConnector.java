package dev.tandem.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.List;

/**
 * {@code file}: appends messages to files for warehouse loaders, as JSON Lines (one message a
 * line) or CSV (one row a message: messageId, type, event, userId, anonymousId, timestamp,
 * profileId, and properties and traits as JSON). A new file starts when the current one reaches
 * {@code rotateBytes} or is {@code rotateEvery} old; names are {@code <destination>-<UTC start
 * time>.<ext>}, so they sort by time. Each batch is forced to disk before it counts as delivered.
 */
public final class FileConnector implements ConnectorType {
    static final SettingSpec<String> DIRECTORY =
            SettingSpec.text("directory", null, "the directory to write into; relative to the server's data directory");
    static final SettingSpec<String> FORMAT =
            SettingSpec.choice("format", "jsonl", List.of("jsonl", "csv"), "the format");
    static final SettingSpec<Integer> ROTATE_BYTES = SettingSpec.integer(
            "rotateBytes", 100 * 1024 * 1024, 1_024, Integer.MAX_VALUE, "start a new file past this size");
    static final SettingSpec<Duration> ROTATE_EVERY = SettingSpec.duration(
            "rotateEvery",
            Duration.ofHours(1),
            Duration.ofDays(7),
            "start a new file when the current one is this old");
    static final SettingSpec<Integer> MAX_BATCH =
            SettingSpec.integer("maxBatch", 1_000, 1, 100_000, "messages written and forced to disk together");

    private static final DateTimeFormatter NAME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    static final String CSV_HEADER = "messageId,type,event,userId,anonymousId,timestamp,profileId,properties,traits\n";

    @Override
    public String name() {
        return "file";
    }

    @Override
    public String description() {
        return "appends JSON Lines or CSV files, rotated by size and time, for warehouse loaders";
    }

    @Override
    public List<SettingSpec<?>> settings() {
        return List.of(DIRECTORY, FORMAT, ROTATE_BYTES, ROTATE_EVERY, MAX_BATCH);
    }

    @Override
    public DeliveryStyle style(Settings settings) {
        return DeliveryStyle.upTo(settings.get(MAX_BATCH));
    }

    @Override
    public Connector open(Settings settings, ConnectorContext context) {
        return new Open(settings, context);
    }

    private static final class Open implements Connector {
        private final Path directory;
        private final boolean csv;
        private final long rotateBytes;
        private final Duration rotateEvery;
        private final String destination;
        private final ObjectMapper mapper;
        private final Clock clock;
        private FileChannel channel;
        private long openedAt;

        Open(Settings settings, ConnectorContext context) {
            this.directory = context.dataDir().resolve(settings.get(DIRECTORY));
            this.csv = settings.get(FORMAT).equals("csv");
            this.rotateBytes = settings.get(ROTATE_BYTES);
            this.rotateEvery = settings.get(ROTATE_EVERY);
            this.destination = context.destination();
            this.mapper = context.mapper();
            this.clock = context.clock();
        }

        @Override
        public List<Outcome> deliver(DeliveryBatch batch) throws IOException {
            StringBuilder text = new StringBuilder();
            for (Delivery d : batch.items()) {
                text.append(csv ? row(d.message()) : mapper.writeValueAsString(d.message()) + "\n");
            }
            FileChannel out = current();
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(false);
            return Collections.nCopies(batch.items().size(), Outcome.delivered());
        }

        private FileChannel current() throws IOException {
            long now = clock.millis();
            if (channel != null && (channel.size() >= rotateBytes || now - openedAt >= rotateEvery.toMillis())) {
                channel.close();
                channel = null;
            }
            if (channel == null) {
                Files.createDirectories(directory);
                Path file =
                        directory.resolve(destination + "-" + NAME.format(clock.instant()) + (csv ? ".csv" : ".jsonl"));
                channel = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                openedAt = now;
                if (csv && channel.size() == 0) {
                    channel.write(ByteBuffer.wrap(CSV_HEADER.getBytes(StandardCharsets.UTF_8)));
                }
            }
            return channel;
        }

        private String row(JsonNode m) throws IOException {
            return String.join(
                            ",",
                            cell(m.path("messageId").asText()),
                            cell(m.path("type").asText()),
                            cell(m.path("event").asText(m.path("name").asText())),
                            cell(m.path("userId").asText()),
                            cell(m.path("anonymousId").asText()),
                            cell(m.path("timestamp").asText()),
                            cell(m.path("context")
                                    .path("tandem")
                                    .path("profileId")
                                    .asText()),
                            cell(m.has("properties") ? mapper.writeValueAsString(m.get("properties")) : ""),
                            cell(m.has("traits") ? mapper.writeValueAsString(m.get("traits")) : ""))
                    + "\n";
        }

        /** RFC 4180: quoted when it holds a comma, a quote or a line break, quotes doubled. */
        private static String cell(String value) {
            if (value.indexOf(',') < 0
                    && value.indexOf('"') < 0
                    && value.indexOf('\n') < 0
                    && value.indexOf('\r') < 0) {
                return value;
            }
            return '"' + value.replace("\"", "\"\"") + '"';
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }
    }
}
