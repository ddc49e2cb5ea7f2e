package dev.tandem.protect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.ConfigNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The catalog of purposes and how consent signals on events map to them (the {@code purposes}
 * and {@code consentCategories} sections of tandem.yaml). Signals, in {@code context.consent}:
 * <ul>
 *   <li>{@code categoryPreferences}, as Segment's consent management sends it: each category
 *       (such as {@code Advertising: false}) maps to one or more purposes;
 *   <li>{@code tcfString}, an IAB TCF v2 string: advertising needs TCF purposes 1, 3 and 4,
 *       personalization 1, 5 and 6, analytics 1 and 8;
 *   <li>{@code gpc: true}, which the collector sets for requests with {@code Sec-GPC: 1}: an
 *       opt-out of sale and advertising.
 * </ul>
 */
public record Purposes(Map<String, Purpose> catalog, Map<String, List<String>> categories) {
    private static final Set<String> PURPOSE_FIELDS = Set.of("lawfulBasis", "description");

    public static final Map<String, Purpose> DEFAULT_CATALOG = catalog(
            new Purpose(
                    "analytics",
                    Purpose.LawfulBasis.LEGITIMATE_INTEREST,
                    "Measuring and improving the product and the business"),
            new Purpose("personalization", Purpose.LawfulBasis.CONSENT, "Tailoring content and offers to the customer"),
            new Purpose(
                    "advertising",
                    Purpose.LawfulBasis.CONSENT,
                    "Targeting and measuring ads, including on ad platforms"),
            new Purpose("email_marketing", Purpose.LawfulBasis.CONSENT, "Sending marketing email"),
            new Purpose(
                    "sales",
                    Purpose.LawfulBasis.LEGITIMATE_INTEREST,
                    "Selling or sharing data with third parties for their own use"));

    /** Common consent-manager category names; a category named like a purpose maps to it anyway. */
    public static final Map<String, List<String>> DEFAULT_CATEGORIES = Map.of(
            "marketing", List.of("advertising", "email_marketing"),
            "targeting", List.of("advertising"),
            "ads", List.of("advertising"),
            "functional", List.of("personalization"),
            "performance", List.of("analytics"),
            "statistics", List.of("analytics"));

    public static Purposes defaults() {
        return new Purposes(DEFAULT_CATALOG, DEFAULT_CATEGORIES);
    }

    public static Purposes from(ConfigNode purposes, ConfigNode categories) {
        Map<String, Purpose> catalog = new LinkedHashMap<>(DEFAULT_CATALOG);
        if (!purposes.isMissing()) {
            for (var e : purposes.fields(null, "'purposes' (name: {lawfulBasis, description})")) {
                if (!e.getKey().matches("[a-z][a-z0-9_]{0,39}")) {
                    throw e.getValue()
                            .error("a purpose name is lower-case letters, digits and '_', such as 'loyalty'.");
                }
                e.getValue().fields(PURPOSE_FIELDS, "a purpose");
                Purpose.LawfulBasis basis = Purpose.LawfulBasis.named(
                        e.getValue().get("lawfulBasis").text("'lawfulBasis'"));
                if (basis == null) {
                    throw e.getValue()
                            .get("lawfulBasis")
                            .error("'lawfulBasis' must be one of " + Purpose.LawfulBasis.WIRE_NAMES + ".");
                }
                ConfigNode d = e.getValue().get("description");
                catalog.put(e.getKey(), new Purpose(e.getKey(), basis, d.isMissing() ? "" : d.text("'description'")));
            }
        }
        Map<String, List<String>> mapping = new LinkedHashMap<>(DEFAULT_CATEGORIES);
        if (!categories.isMissing()) {
            for (var e : categories.fields(null, "'consentCategories' (category: [purposes])")) {
                List<String> to = new ArrayList<>();
                for (ConfigNode p : e.getValue().list("the purposes of category '" + e.getKey() + "'")) {
                    String name = p.text("a purpose");
                    if (!catalog.containsKey(name)) {
                        throw p.error("'" + name + "' is not a purpose; the purposes are " + catalog.keySet() + ".");
                    }
                    to.add(name);
                }
                mapping.put(e.getKey().toLowerCase(Locale.ROOT), List.copyOf(to));
            }
        }
        return new Purposes(java.util.Collections.unmodifiableMap(catalog), Map.copyOf(mapping));
    }

    /** Whether data may be used for each purpose of the catalog, given the stated choices. */
    public Map<String, Boolean> effective(Map<String, Boolean> stated) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        catalog.values().forEach(p -> out.put(p.name(), p.allowed(stated.get(p.name()))));
        return out;
    }

    /** The consent choices an event carries; empty for most events. */
    public List<ConsentSignal> signals(JsonNode event) {
        JsonNode consent = event.path("context").path("consent");
        if (!consent.isObject()) {
            return List.of();
        }
        List<ConsentSignal> out = new ArrayList<>(4);
        JsonNode prefs = consent.get("categoryPreferences");
        if (prefs != null && prefs.isObject()) {
            for (var e : prefs.properties()) {
                if (e.getValue().isBoolean()) {
                    for (String purpose : purposesOf(e.getKey())) {
                        out.add(new ConsentSignal(purpose, e.getValue().asBoolean(), "categoryPreferences"));
                    }
                }
            }
        }
        TcfString tcf =
                consent.get("tcfString") instanceof JsonNode t && t.isTextual() ? TcfString.parse(t.asText()) : null;
        if (tcf != null) {
            boolean storage = tcf.purposeConsent(1);
            tcfSignal(out, "advertising", storage && tcf.purposeConsent(3) && tcf.purposeConsent(4));
            tcfSignal(out, "personalization", storage && tcf.purposeConsent(5) && tcf.purposeConsent(6));
            tcfSignal(out, "analytics", storage && tcf.purposeConsent(8));
        }
        if (consent.path("gpc").asBoolean(false)) {
            for (String purpose : List.of("advertising", "sales")) {
                if (catalog.containsKey(purpose)) {
                    out.add(new ConsentSignal(purpose, false, "gpc"));
                }
            }
        }
        return out;
    }

    private void tcfSignal(List<ConsentSignal> out, String purpose, boolean granted) {
        if (catalog.containsKey(purpose)) {
            out.add(new ConsentSignal(purpose, granted, "tcf"));
        }
    }

    private List<String> purposesOf(String category) {
        String key = category.toLowerCase(Locale.ROOT);
        if (catalog.containsKey(key)) {
            return List.of(key);
        }
        return categories.getOrDefault(key, List.of());
    }

    private static Map<String, Purpose> catalog(Purpose... purposes) {
        Map<String, Purpose> out = new LinkedHashMap<>();
        for (Purpose p : purposes) {
            out.put(p.name(), p);
        }
        return java.util.Collections.unmodifiableMap(out);
    }
}
