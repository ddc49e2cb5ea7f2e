package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The demo's command center numbers: the KPIs of the demo workspace with their intervals, what
 * marketing and IT believe (marketing believes delivery's NPS is 60), the perception gap that makes
 * visible, and an initiative co-owned by mia (marketing) and raj (IT) with checkpoints.
 */
final class DemoKpis {
    private DemoKpis() {}

    static void show(AdminClient admin, String url, String token) {
        admin.post(
                "/v1/kpis/nps/beliefs",
                "{\"by\": {\"touchpoint\": \"delivery\"}, \"value\": 60, \"team\": \"marketing\", "
                        + "\"note\": \"Our parcels arrive on time; customers must love it.\"}");
        admin.post(
                "/v1/kpis/nps/beliefs",
                "{\"by\": {\"touchpoint\": \"checkout\"}, \"value\": -40, \"team\": \"it\", "
                        + "\"note\": \"The checkout errors we see in the logs.\"}");
        admin.post("/v1/kpis/csat/beliefs", "{\"value\": 85, \"team\": \"marketing\"}");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        admin.post("/v1/initiatives", """
                {"key": "delivery-promise", "name": "Keep the delivery promise",
                 "goal": "Customers who get their parcel when we said recommend us",
                 "owners": {"marketing": "mia", "it": "raj"},
                 "kpis": [{"kpi": "nps", "baseline": -45, "target": 0}],
                 "checkpoints": [
                   {"date": "%s", "expected": -60, "milestone": "tracking emails live"},
                   {"date": "%s", "expected": -20, "milestone": "second carrier"},
                   {"date": "%s", "expected": 0, "milestone": "next-day delivery"}]}""".formatted(today.minusDays(7), today.plusDays(30), today.plusDays(90)));
        System.out.println("  shared KPIs, each with its 95% interval and n (docs/kpis.md):");
        for (JsonNode k : admin.get("/v1/kpis").path("kpis")) {
            System.out.println("    " + k.path("key").asText() + ": " + number(k.path("value")) + " " + ci(k.path("ci"))
                    + " n=" + k.path("n").asLong() + ", target " + number(k.path("target")) + " ("
                    + k.path("status").asText() + ")");
        }
        System.out.println("    curl -H 'Authorization: Bearer " + token + "' '" + url
                + "/v1/kpis/nps?by=touchpoint&interval=week'");
        System.out.println("  the perception gap: what teams believe against what customers answered:");
        for (JsonNode g : admin.get("/v1/perception-gap").path("gaps")) {
            System.out.println("    " + g.path("team").asText() + " believes "
                    + g.path("kpi").asText()
                    + (g.path("by").isEmpty()
                            ? ""
                            : " for " + g.path("by").fields().next().getValue().asText())
                    + " is " + number(g.path("believed")) + "; customers say " + number(g.path("measured")) + " "
                    + ci(g.path("ci")) + ": " + g.path("verdict").asText());
        }
        System.out.println("    curl -H 'Authorization: Bearer " + token + "' " + url + "/v1/perception-gap");
        JsonNode initiative = admin.get("/v1/initiatives/delivery-promise");
        System.out.println("  an initiative co-owned by mia (marketing) and raj (IT): '"
                + initiative.path("name").asText() + "' is "
                + initiative.path("status").asText() + ":");
        System.out.println("    curl -H 'Authorization: Bearer " + token + "' " + url + "/v1/initiatives");
    }

    private static String number(JsonNode v) {
        return v.isNumber() ? String.format(java.util.Locale.ROOT, "%.1f", v.asDouble()) : "none";
    }

    private static String ci(JsonNode ci) {
        return ci.isArray() ? "[" + number(ci.get(0)) + ", " + number(ci.get(1)) + "]" : "";
    }
}
