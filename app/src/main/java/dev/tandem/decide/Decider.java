package dev.tandem.decide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.audience.Memberships;
import dev.tandem.collect.Collector;
import dev.tandem.collect.Source;
import dev.tandem.error.NotFound;
import dev.tandem.expr.Expression;
import dev.tandem.expr.Facts;
import dev.tandem.expr.ProfileView;
import dev.tandem.identity.Identifier;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.profile.ProfileReader;
import dev.tandem.wire.EventTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses what a visitor gets in a placement. The rules run in order over the visitor's profile
 * (an empty one for a visitor Tandem does not know) and the request context; the first that holds
 * wins, else the default. A rule that cannot be evaluated for this visitor is skipped and said so.
 * An experiment tests against the default: it runs for visitors no rule matched, so a targeted
 * rule (a care message, a legal notice) is never overridden by a test. When the visitor takes
 * part, the arm is the profile's
 * stored assignment or, for a first exposure, a hash of the profile (or, unknown, of the
 * identifier); every exposure is logged as an {@code Experiment Viewed} event.
 */
final class Decider {
    private static final Logger log = LoggerFactory.getLogger(Decider.class);

    private final Map<String, Placement> placements = new LinkedHashMap<>();
    /** Per placement, the personal traits its rules and experiment read: the only ones a decision decrypts. */
    private final Map<String, Predicate<String>> traitsRead = new HashMap<>();

    private final IdentityLookup identities;
    private final ProfileReader profiles;
    private final Memberships memberships;
    private final ExperimentStore assignments;
    private final Collector collector;
    private final ObjectMapper mapper;
    private final Clock clock;

    public Decider(
            List<Placement> placements,
            IdentityLookup identities,
            ProfileReader profiles,
            Memberships memberships,
            org.jdbi.v3.core.Jdbi jdbi,
            Collector collector,
            ObjectMapper mapper,
            Clock clock) {
        placements.forEach(p -> this.placements.put(p.key(), p));
        placements.forEach(p -> this.traitsRead.put(p.key(), p.traitsRead()));
        this.identities = identities;
        this.profiles = profiles;
        this.memberships = memberships;
        this.assignments = new ExperimentStore(jdbi);
        this.collector = collector;
        this.mapper = mapper;
        this.clock = clock;
    }

    public List<Placement> placements() {
        return List.copyOf(placements.values());
    }

    Placement placement(String key) {
        Placement p = placements.get(key);
        if (p == null) {
            throw new NotFound(
                    "placement_not_found",
                    "No placement has the key '" + key + "'; the placements are " + placements.keySet()
                            + " (declared in tandem.yaml under 'placements').");
        }
        return p;
    }

    /** @param source the calling source, whose inbox gets the exposure; null for an explained decision, which logs none */
    Decision decide(DecideRequest request, Source source) {
        Placement placement = placement(request.placement());
        Long profileId = null;
        String foundBy = null;
        for (Identifier id : request.identifiers()) {
            Optional<Long> found = identities.profileOf(id);
            if (found.isPresent()) {
                profileId = found.get();
                foundBy = id.type();
                break;
            }
        }
        ProfileView view = profileId == null
                ? null
                : profiles.view(profileId, traitsRead.get(placement.key())).orElse(null);
        Map<String, List<String>> ids = profileId != null && placement.reads("identifiers")
                ? identities.identifiersByType(List.of(profileId)).getOrDefault(profileId, Map.of())
                : Map.of();
        List<String> audiences =
                profileId != null && placement.reads("audiences") ? memberships.keysOf(profileId) : List.of();
        Instant now = clock.instant();
        Map<String, Object> facts = Facts.decision(
                Facts.profile(view == null ? profiles.nobody() : view, ids),
                view != null,
                audiences,
                request.context(),
                placement.key(),
                now);

        List<String> reasons = new ArrayList<>();
        reasons.add(
                view == null
                        ? "visitor not known yet: decided on the request context and an empty profile"
                        : "profile " + profileId + " found by " + foundBy);
        Placement.Variant chosen = rules(placement, facts, reasons);
        Decision.ExperimentArm arm = null;
        Experiment e = placement.experiment();
        boolean ruleChose = chosen != placement.fallback();
        if (e != null && ruleChose) {
            reasons.add("experiment '" + e.key() + "' not run: it tests against the default, and a rule chose");
        }
        if (e != null && !ruleChose && takesPart(e, facts, reasons)) {
            String stored = profileId == null
                    ? null
                    : assignments.arm(e.key(), profileId).orElse(null);
            Experiment.Arm a = stored == null ? null : e.arm(stored);
            String subject = profileId != null
                    ? "profile:" + profileId
                    : request.identifiers().get(0).toString();
            boolean sticky = a != null;
            if (a == null) {
                a = Assigner.arm(e, subject);
            }
            reasons.add("experiment '" + e.key() + "': arm '" + a.key() + "' (weight " + a.weight() + " of "
                    + e.totalWeight() + ", "
                    + (sticky ? "kept from the profile's first exposure" : "by hash of " + subject) + ")"
                    + (a.control() ? "; the control group gets the default" : ""));
            if (!a.control()) {
                chosen = new Placement.Variant(a.key(), a.content());
            }
            arm = new Decision.ExperimentArm(e.key(), e.name(), a.key(), a.control(), sticky);
            if (source != null) {
                logExposure(request, source, e, a, now);
            } else {
                reasons.add(
                        "exposure not logged: an explained decision is a look, not a view (a write key's decision logs it)");
            }
        }
        return new Decision(placement.key(), chosen, profileId, arm, List.copyOf(reasons));
    }

    private static Placement.Variant rules(Placement placement, Map<String, Object> facts, List<String> reasons) {
        int unmatched = 0;
        for (int i = 0; i < placement.rules().size(); i++) {
            Placement.Rule rule = placement.rules().get(i);
            Expression.Outcome outcome = rule.when().evaluate(facts);
            if (outcome.failed()) {
                reasons.add("rule " + (i + 1) + " '" + rule.name()
                        + "' could not be evaluated for this visitor and was skipped: " + outcome.error());
            } else if (outcome.matched()) {
                if (unmatched > 0) {
                    reasons.add(unmatched + (unmatched == 1 ? " rule" : " rules") + " before it did not match");
                }
                reasons.add("rule " + (i + 1) + " '" + rule.name() + "' matched: "
                        + rule.when().source());
                return rule.variant();
            } else {
                unmatched++;
            }
        }
        reasons.add(
                placement.rules().isEmpty()
                        ? "the placement has no rules: its default"
                        : "none of the " + placement.rules().size() + " rules matched: the default");
        return placement.fallback();
    }

    private static boolean takesPart(Experiment e, Map<String, Object> facts, List<String> reasons) {
        if (e.eligible() == null) {
            return true;
        }
        Expression.Outcome outcome = e.eligible().evaluate(facts);
        if (!outcome.matched()) {
            reasons.add("not in experiment '" + e.key() + "': "
                    + (outcome.failed() ? outcome.error() : e.eligible().source() + " did not hold"));
        }
        return outcome.matched();
    }

    /** Logs the exposure as a Segment A/B testing spec event, without holding up the answer. */
    private void logExposure(DecideRequest request, Source source, Experiment e, Experiment.Arm a, Instant now) {
        ObjectNode event = mapper.createObjectNode()
                .put("type", "track")
                .put("event", ExperimentStage.VIEWED)
                .put("messageId", "decide-" + UUID.randomUUID())
                .put("timestamp", EventTime.format(now));
        request.subjectFields().forEach(event::put);
        ObjectNode props = event.putObject("properties")
                .put("experiment_id", e.key())
                .put("experiment_name", e.name())
                .put("variation_id", a.key())
                .put("variation_name", a.key())
                .put("placement", request.placement());
        props.put("nonInteraction", 1);
        try {
            collector.emit(source, event).exceptionally(ex -> {
                log.atWarn()
                        .addKeyValue("experiment", e.key())
                        .log("an Experiment Viewed event was not stored: " + ex.getMessage());
                return 0;
            });
        } catch (RuntimeException ex) {
            log.atWarn()
                    .addKeyValue("experiment", e.key())
                    .log("an Experiment Viewed event was not stored: " + ex.getMessage());
        }
    }

    /** What a write key gets: the variant and its content, nothing about the profile or why. */
    JsonNode visible(Decision d) {
        ObjectNode body = mapper.createObjectNode()
                .put("placement", d.placement())
                .put("variant", d.variant().key());
        body.set("content", d.content());
        return body;
    }

    /** What a {@code decide:explain} token gets: also the profile id, the experiment arm and the reasons. */
    JsonNode explained(Decision d) {
        ObjectNode body = mapper.createObjectNode()
                .put("placement", d.placement())
                .put("variant", d.variant().key());
        body.set("content", d.content());
        body.put("profile_id", d.profileId() == null ? null : Long.toString(d.profileId()));
        if (d.experiment() != null) {
            body.putObject("experiment")
                    .put("key", d.experiment().key())
                    .put("name", d.experiment().name())
                    .put("arm", d.experiment().arm())
                    .put("control", d.experiment().control())
                    .put("sticky", d.experiment().sticky());
        }
        d.reasons().forEach(body.putArray("reasons")::add);
        return body;
    }
}
