package dev.tandem.retain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.collect.Archive;
import dev.tandem.collect.ArchivedEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;

/**
 * The archive's side of an erasure and of an access request: archived events applied to one of the
 * subject's profiles (the profile and every one merged into it), or carrying one of its identifiers,
 * and archived refused events naming it. An erasure rewrites each day file without them, inside the
 * erasure's transaction (files first: a failed transaction leaves them removed, the safe side, and
 * the erasure is tried again).
 */
public final class ArchiveErasure {
    private final Archive archive;
    private final ObjectMapper mapper;

    ArchiveErasure(Archive archive, ObjectMapper mapper) {
        this.archive = archive;
        this.mapper = mapper;
    }

    /** How many archived events and archived refused events an erasure removed. */
    public record Erased(long events, long quarantined) {}

    /**
     * @param carries  whether an event carries one of the subject's (now suppressed) identifiers
     * @param mentions whether a refused event's payload, as received, names the subject
     */
    public Erased erase(
            Handle h, Collection<Long> profiles, Predicate<ObjectNode> carries, Predicate<String> mentions) {
        Set<Long> family = Set.copyOf(profiles);
        long events = archive.erase(h, Archive.Kind.EVENTS, line -> ofSubject(line, family, carries));
        long refused = archive.erase(h, Archive.Kind.QUARANTINE, line -> mentions.test(payload(line)));
        return new Erased(events, refused);
    }

    /** The subject's archived events, oldest first in each file, as stored. */
    public List<JsonNode> eventsOf(Collection<Long> profiles) {
        Set<Long> family = Set.copyOf(profiles);
        List<JsonNode> found = new ArrayList<>();
        for (Archive.Day day : archive.days(Archive.Kind.EVENTS)) {
            for (String line : archive.lines(day)) {
                ArchivedEvent e = ArchivedEvent.parse(mapper, line);
                if (e.profile() != null && family.contains(e.profile())) {
                    found.add(json(e.payload()));
                }
            }
        }
        return found;
    }

    private boolean ofSubject(String line, Set<Long> family, Predicate<ObjectNode> carries) {
        ArchivedEvent e = ArchivedEvent.parse(mapper, line);
        if (e.profile() != null && family.contains(e.profile())) {
            return true;
        }
        return json(e.payload()) instanceof ObjectNode event && carries.test(event);
    }

    private String payload(String line) {
        return json(line).path("payload").asText();
    }

    private JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            // an archived payload that is not JSON (an unreadable event kept as it came) names nobody by profile
            return mapper.getNodeFactory().textNode(text);
        }
    }
}
