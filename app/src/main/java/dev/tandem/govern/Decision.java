package dev.tandem.govern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What the gate decided for one flow, with the rules that produced it in words. An allow with
 * obligations carries the payload as it may leave: fields dropped, hashed, masked, truncated or
 * coarsened.
 */
public sealed interface Decision permits Decision.Allow, Decision.AllowWith, Decision.Deny {
    List<Reason> reasons();

    /** The wire name: allow, allow_with or deny. */
    String name();

    /** The payload as it may leave, or null for a deny. */
    ObjectNode payload();

    /** Nothing denied or changed the flow. */
    record Allow(ObjectNode payload, List<Reason> reasons) implements Decision {
        public String name() {
            return "allow";
        }
    }

    /** Allowed, with obligations applied to the payload. */
    record AllowWith(ObjectNode payload, List<Reason> reasons) implements Decision {
        public String name() {
            return "allow_with";
        }
    }

    /** Not allowed; nothing leaves. */
    record Deny(List<Reason> reasons) implements Decision {
        public String name() {
            return "deny";
        }

        public ObjectNode payload() {
            return null;
        }
    }

    /** One rule that applied: its id, effect, reason, and the fields it changed (empty for deny and allow). */
    record Reason(String rule, Effect effect, String reason, List<String> fields) {}
}
