package dev.tandem.module;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A kind of workspace object that changes go through (destinations, audiences...): the package that
 * owns the kind checks a declaration, says what is live and makes a declaration live; the change
 * module decides when. A declaration is the object as tandem.yaml or the admin API states it, in
 * JSON.
 */
public interface Changeable {
    /** The kind's name in changes and risk rules: {@code destination}, {@code audience}. */
    String kind();

    /** The declaration checked and as it will be saved; a wrong one throws a 400 that names its field. */
    JsonNode check(String key, JsonNode declaration);

    /** What is live under {@code key} now, as a declaration; empty when nothing is. */
    Optional<JsonNode> live(String key);

    /** Every live object of the kind, by key, as declarations: what {@code tandem config export} writes. */
    Map<String, JsonNode> all();

    /** Makes {@code declaration} live under {@code key}; null removes what is. Throws a 409 when it cannot. */
    void apply(String key, JsonNode declaration);

    /**
     * What risk rules read about a declaration besides its fields, such as whether a destination
     * receives personal data ({@code personal}), its {@code purposes} and {@code riskTier}.
     */
    Map<String, Object> facts(JsonNode declaration);

    /**
     * The facts a plan ({@code POST /v1/workspace/plan}, a read scope) shows before anything is
     * proposed: {@link #facts} unless working them out reads personal data for whoever asks (a
     * journey's dry run over the profiles), which only a proposal, with its write scope, runs.
     */
    default Map<String, Object> previewFacts(JsonNode declaration) {
        return facts(declaration);
    }

    /** The conditions an approval may attach to an object of this kind (such as {@code hash}, {@code drop}, {@code expires}); none by default. */
    default Set<String> conditions() {
        return Set.of();
    }
}
