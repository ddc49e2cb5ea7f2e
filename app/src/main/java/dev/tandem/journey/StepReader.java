package dev.tandem.journey;

import dev.tandem.config.ConfigNode;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Reads a {@code wait}: {@code 2d}, {@code {until: "09:00"}} or {@code {trait: renewal_date, offset: -3d}}. */
final class StepReader {
    private StepReader() {}

    static Step.Wait waitStep(ConfigNode v) {
        if (v.node() != null && v.node().isValueNode()) {
            return new Step.Wait(v.duration("'wait'"), null, null, null);
        }
        v.fields(Set.of("until", "trait", "offset"), "'wait'");
        if (!v.get("until").isMissing()) {
            if (!v.get("trait").isMissing() || !v.get("offset").isMissing()) {
                throw v.error("'wait' takes 'until' (a local time of day) or 'trait' with an 'offset', not both.");
            }
            try {
                return new Step.Wait(null, LocalTime.parse(v.get("until").text("'until'")), null, null);
            } catch (DateTimeParseException e) {
                throw v.get("until")
                        .error("'until' must be a time of day such as '09:00', in the profile's time zone.");
            }
        }
        if (v.get("trait").isMissing()) {
            throw v.error(
                    "'wait' must be a duration such as 2d, or { until: '09:00' }, or { trait: renewal_date, offset: -3d }.");
        }
        return new Step.Wait(
                null,
                null,
                v.get("trait").text("'trait'"),
                v.get("offset").isMissing()
                        ? java.time.Duration.ZERO
                        : JourneyDeclarations.signed(v.get("offset"), "'offset'"));
    }
}
