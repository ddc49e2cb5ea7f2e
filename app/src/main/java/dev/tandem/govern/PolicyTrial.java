package dev.tandem.govern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.ConfigNode;
import dev.tandem.config.LocatedYaml;
import dev.tandem.expr.Expressions;
import dev.tandem.protect.Classification;
import dev.tandem.protect.Classifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a policy file against the examples in it, without a server, so IT can review a change
 * before it is live ({@code tandem policy test FILE}). The file is a policy ({@code pack},
 * {@code rules}) plus {@code examples}, each with a {@code flow}, a {@code subject}
 * ({@code consent} per purpose, {@code gpc}, {@code known}), a {@code payload} and optionally
 * the decision it {@code expect}s.
 */
public final class PolicyTrial {
    private static final Set<String> EXAMPLE_FIELDS = Set.of("name", "flow", "subject", "payload", "expect");
    private static final Set<String> SUBJECT_FIELDS = Set.of("known", "consent", "gpc");

    /** One example's outcome. */
    public record Outcome(String name, Decision decision, String expected) {
        public boolean passed() {
            return expected == null || expected.equals(decision.name());
        }
    }

    private PolicyTrial() {}

    /** Reads and runs the file; a broken file throws {@link dev.tandem.config.ConfigException} with the line. */
    public static List<Outcome> run(Path file) {
        LocatedYaml yaml = LocatedYaml.read(file);
        ConfigNode root = new ConfigNode(yaml.root(), "", yaml::error);
        Gate gate = new Gate(
                Policy.from(root, new Expressions()), new Classifier(Classification.defaults()), DecisionSink.NONE);
        List<Outcome> out = new ArrayList<>();
        ConfigNode examples = root.get("examples");
        if (examples.isMissing()) {
            throw root.error(
                    "the file has no 'examples'; add some, each with a flow, a subject and a payload, to see the decisions.");
        }
        for (ConfigNode example : examples.list("'examples'")) {
            example.fields(EXAMPLE_FIELDS, "an example");
            String name = example.get("name").isMissing()
                    ? example.path()
                    : example.get("name").text("'name'");
            Flow flow;
            try {
                flow = PolicyRoutes.flow(example.get("flow").node());
            } catch (dev.tandem.error.BadRequest e) {
                throw example.get("flow").error(e.getMessage());
            }
            JsonNode payload = example.get("payload").node();
            if (payload != null && !payload.isObject()) {
                throw example.get("payload").error("'payload' must be a mapping such as an event.");
            }
            String expect = example.get("expect").isMissing()
                    ? null
                    : example.get("expect").text("'expect'");
            if (expect != null && !List.of("allow", "allow_with", "deny").contains(expect)) {
                throw example.get("expect").error("'expect' must be allow, allow_with or deny.");
            }
            Decision d = gate.decide(
                    flow,
                    subject(example.get("subject")),
                    payload == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) payload);
            out.add(new Outcome(name, d, expect));
        }
        return out;
    }

    private static Subject subject(ConfigNode node) {
        if (node.isMissing()) {
            return Subject.NONE;
        }
        node.fields(SUBJECT_FIELDS, "a subject (known, consent, gpc)");
        Map<String, Boolean> consent = new LinkedHashMap<>();
        if (!node.get("consent").isMissing()) {
            for (var e : node.get("consent").fields(null, "'consent' (purpose: true or false)")) {
                consent.put(e.getKey(), e.getValue().bool("the consent for " + e.getKey()));
            }
        }
        boolean known = node.get("known").isMissing() || node.get("known").bool("'known'");
        boolean gpc = !node.get("gpc").isMissing() && node.get("gpc").bool("'gpc'");
        return new Subject(known ? 1 : 0, consent, gpc);
    }
}
