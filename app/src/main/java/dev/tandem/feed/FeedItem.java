package dev.tandem.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.audit.AuditEntry;
import dev.tandem.audit.AuditKind;
import java.io.IOException;
import java.util.Optional;

/** One item of the feed, made from an audit entry: {@code id} is the entry's id. */
record FeedItem(long id, Topic topic, String title, long at, String object, String actor) {

    /** The item an audit entry makes; none for sign-ins and sign-outs, which stay in the audit trail only. */
    static Optional<FeedItem> of(AuditEntry e, ObjectMapper mapper) {
        JsonNode detail;
        try {
            detail = mapper.readTree(e.detail());
        } catch (IOException ex) {
            detail = mapper.createObjectNode();
        }
        AuditKind kind = AuditKind.named(e.kind()).orElse(null);
        if (kind == null) {
            return Optional.empty();
        }
        String who = e.actor();
        return Optional.ofNullable(
                switch (kind) {
                    case ADMIN_CHANGE ->
                        item(
                                e,
                                Topic.CHANGES,
                                who + " changed " + e.object() + " ("
                                        + detail.path("route").asText() + ")");
                    case PERSON_ADDED ->
                        item(
                                e,
                                Topic.PEOPLE,
                                who + " added " + e.object() + " as "
                                        + detail.path("role").asText() + " in "
                                        + detail.path("team").asText());
                    case PERSON_CHANGED ->
                        item(
                                e,
                                Topic.PEOPLE,
                                who + " made " + e.object() + " "
                                        + detail.path("role").asText() + " (was "
                                        + detail.path("roleBefore").asText() + ")");
                    case PERSON_REMOVED -> item(e, Topic.PEOPLE, who + " removed " + e.object());
                    case TOKEN_CREATED ->
                        item(e, Topic.PEOPLE, who + " made the API token " + e.object() + " " + detail.path("scopes"));
                    case PERSON_LINK_ISSUED ->
                        item(e, Topic.PEOPLE, who + " sent " + e.object() + " a new sign-in link");
                    case PRIVACY_REQUESTED ->
                        item(
                                e,
                                Topic.PRIVACY,
                                "A privacy request (" + detail.path("type").asText() + ") was received");
                    case PRIVACY_COMPLETED ->
                        item(e, Topic.PRIVACY, "A privacy request was completed: " + detail.path("result"));
                    case SLA_STATE_CHANGED ->
                        item(
                                e,
                                Topic.DESTINATIONS,
                                e.object() + " is " + detail.path("state").asText() + " (was "
                                        + detail.path("previous").asText() + ")");
                    case AUDIENCE_SIZE_MOVED ->
                        item(
                                e,
                                Topic.AUDIENCES,
                                "The audience " + detail.path("audience").asText() + " "
                                        + (detail.path("after").asLong()
                                                        >= detail.path("before").asLong()
                                                ? "grew"
                                                : "shrank")
                                        + " by " + detail.path("percent").asText() + "% in a day, from "
                                        + detail.path("before").asLong() + " to "
                                        + detail.path("after").asLong());
                    case CHECKPOINT_PASSED ->
                        item(
                                e,
                                Topic.CHANGES,
                                "The checkpoint of " + detail.path("date").asText() + " of the initiative "
                                        + detail.path("name").asText() + " was "
                                        + detail.path("status").asText()
                                        + ": " + detail.path("kpi").asText() + " "
                                        + (detail.path("value").isNull()
                                                ? "had no answers"
                                                : "was " + detail.path("value").asText())
                                        + ", " + detail.path("expected").asText() + " expected"
                                        + (detail.hasNonNull("milestone")
                                                ? " ("
                                                        + detail.path("milestone")
                                                                .asText() + ")"
                                                : ""));
                    case STARTED ->
                        item(
                                e,
                                Topic.OPERATIONS,
                                "Tandem started on " + detail.path("store").asText());
                    case CHANGE_PROPOSED,
                            CHANGE_AMENDED,
                            CHANGE_APPROVED,
                            CHANGE_REJECTED,
                            CHANGE_WITHDRAWN,
                            CHANGE_APPLIED,
                            CHANGE_EXPIRED,
                            CHANGE_FAILED -> change(e, kind, detail);
                    case PASSWORD_SET, SIGNED_IN, SIGN_IN_REFUSED, SIGNED_OUT -> null;
                });
    }

    /** A change of a workspace object: high-tier ones under approvals (pushed at once), the rest under changes. */
    private static FeedItem change(AuditEntry e, AuditKind kind, JsonNode detail) {
        String object = "the " + detail.path("kind").asText() + " '"
                + detail.path("key").asText() + "'";
        String change = e.object().replace("change:", "change ");
        String tier = detail.path("tier").asText();
        String title = switch (kind) {
            case CHANGE_PROPOSED ->
                e.actor() + " proposed to " + detail.path("action").asText() + " " + object + " (" + tier + " tier, "
                        + change + "); it needs " + String.join(", ", texts(detail.path("needs")));
            case CHANGE_AMENDED -> e.actor() + " edited " + change + " (" + object + "); its approvals were reset";
            case CHANGE_APPROVED ->
                e.actor() + " approved " + change + " (" + object + ")"
                        + (detail.has("conditions") ? " with conditions " + detail.get("conditions") : "");
            case CHANGE_REJECTED -> e.actor() + " rejected " + change + " (" + object + ")";
            case CHANGE_WITHDRAWN -> e.actor() + " withdrew " + change + " (" + object + ")";
            case CHANGE_APPLIED ->
                object.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + object.substring(1) + " changed (" + change
                        + ", " + tier + " tier): " + detail.path("how").asText();
            case CHANGE_EXPIRED -> change + " (" + object + ") expired without approval";
            default ->
                change + " (" + object + ") could not be applied: "
                        + detail.path("why").asText();
        };
        return item(e, tier.equals("high") ? Topic.APPROVALS : Topic.CHANGES, title);
    }

    private static java.util.List<String> texts(JsonNode list) {
        java.util.List<String> out = new java.util.ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out.isEmpty() ? java.util.List.of("nothing more") : out;
    }

    private static FeedItem item(AuditEntry e, Topic topic, String title) {
        return new FeedItem(e.id(), topic, title, e.at(), e.object(), e.actor());
    }
}
