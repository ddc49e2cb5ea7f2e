package dev.tandem.change;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A change as the API answers it: what, who, the tier and why, where it stands, its verdicts and what it still needs. */
final class ChangeJson {
    private ChangeJson() {}

    static Map<String, Object> of(Change c, Keys keys, ChangeRules rules) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("kind", c.target().kind());
        m.put("key", c.target().key());
        m.put("action", c.target().action());
        m.put("origin", c.target().origin());
        m.put("status", c.status().wireName());
        m.put("tier", c.assessment().tier().wireName());
        m.put("tierRule", c.assessment().rule());
        m.put("tierReason", reason(rules, c.assessment().rule()));
        m.put("facts", c.assessment().facts());
        Map<String, Object> author = new LinkedHashMap<>();
        author.put("caller", c.author().caller());
        author.put("person", c.author().person());
        author.put("side", c.author().side());
        m.put("author", author);
        m.put("owners", owners(c));
        m.put("needs", c.status() == Status.PENDING ? keys.missing(c) : List.of());
        List<Map<String, Object>> verdicts = new ArrayList<>();
        for (Change.Verdict v : c.verdicts()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("person", v.person());
            o.put("side", v.side());
            o.put("role", v.role());
            o.put("verdict", v.approves() ? "approve" : "reject");
            o.put("conditions", v.conditions());
            o.put("comment", v.comment());
            o.put("at", Instant.ofEpochMilli(v.at()).toString());
            verdicts.add(o);
        }
        m.put("verdicts", verdicts);
        m.put("diff", c.diff());
        m.put("declaration", c.declaration());
        m.put("note", c.note());
        m.put("createdAt", Instant.ofEpochMilli(c.times().createdAt()).toString());
        m.put("updatedAt", Instant.ofEpochMilli(c.times().updatedAt()).toString());
        m.put("expiresAt", Instant.ofEpochMilli(c.times().expiresAt()).toString());
        return m;
    }

    private static List<String> owners(Change c) {
        List<String> out = new ArrayList<>();
        var object = c.declaration() != null ? c.declaration() : c.previous();
        if (object != null) {
            object.path("owners").forEach(o -> out.add(o.asText()));
        }
        return out;
    }

    private static String reason(ChangeRules rules, String id) {
        return rules.rules().stream()
                .filter(r -> r.id().equals(id))
                .map(ChangeRules.Rule::reason)
                .findFirst()
                .orElse("No change rule matched: medium by default.");
    }
}
