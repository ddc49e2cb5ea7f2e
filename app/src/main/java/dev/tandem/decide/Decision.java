package dev.tandem.decide;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What {@code POST /v1/decide} answers: the variant and its content, the profile it was decided
 * for (null for a visitor Tandem does not know yet), the experiment arm if one applied, and the
 * reasons in words.
 */
record Decision(
        String placement, Placement.Variant variant, Long profileId, ExperimentArm experiment, List<String> reasons) {

    /** The experiment arm a visitor is in; {@code sticky} when it came from a stored assignment rather than the hash. */
    public record ExperimentArm(String key, String name, String arm, boolean control, boolean sticky) {}

    JsonNode content() {
        return variant.content();
    }
}
