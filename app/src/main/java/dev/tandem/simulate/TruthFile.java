package dev.tandem.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes who is who, one JSON line per person: their real identifiers (normalised: email lower
 * case, phone E.164) and the messageIds of their events. Identifiers that several people share
 * (a family tablet) are listed under {@code shared}; placeholders belong to nobody and are absent.
 */
final class TruthFile {
    private TruthFile() {}

    static void write(Path file, List<Customer> customers, List<SimulatedEvent> events, ObjectMapper mapper) {
        Map<String, List<String>> messages = new HashMap<>();
        for (SimulatedEvent e : events) {
            messages.computeIfAbsent(e.personId(), k -> new ArrayList<>())
                    .add(e.json().get("messageId").asText());
        }
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (Customer c : customers) {
                ObjectNode line = mapper.createObjectNode().put("person", c.personId());
                ObjectNode ids = line.putObject("identifiers");
                ids.put("user_id", c.userId());
                ids.put("email", c.email());
                ids.put("phone", "+1" + c.phoneDigits());
                ids.put("device_id", c.phoneDeviceId());
                ids.put("advertising_id", c.advertisingId());
                ArrayNode anonymous = ids.putArray("anonymous_id");
                c.browserIds().forEach(anonymous::add);
                anonymous.add("app-" + c.phoneDeviceId());
                if (c.voiceId() != null) {
                    anonymous.add(c.voiceId());
                }
                if (c.sharedTabletId() != null) {
                    line.putObject("shared")
                            .put("device_id", c.sharedTabletId())
                            .put("anonymous_id", "app-" + c.sharedTabletId());
                }
                ArrayNode ids2 = line.putArray("messageIds");
                messages.getOrDefault(c.personId(), List.of()).forEach(ids2::add);
                out.write(mapper.writeValueAsString(line));
                out.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the truth file " + file, e);
        }
    }
}
