package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The demo's people, audit trail and change feed: a marketer and an IT steward are added (each with
 * a one-time sign-in link), so the audit trail and the feed have something to show and verify.
 */
final class DemoPeople {
    private DemoPeople() {}

    static void show(AdminClient admin, String url, String token) {
        JsonNode ann =
                admin.post("/v1/admin/people", "{\"name\": \"ann\", \"team\": \"marketing\", \"role\": \"marketer\"}");
        JsonNode ian = admin.post("/v1/admin/people", "{\"name\": \"ian\", \"team\": \"it\", \"role\": \"steward\"}");
        System.out.println("  the console: " + url + "/ (sign in as a person of the demo)");
        System.out.println("  people: ann (marketing, marketer) and ian (IT, steward); their one-time sign-in links"
                + " (choose a password, then the console opens):");
        System.out.println("    ann: " + ann.path("signInLink").asText() + "&next=%2F");
        System.out.println("    ian: " + ian.path("signInLink").asText() + "&next=%2F");
        System.out.println("    ./tandem people list --server " + url + " --token " + token);
        JsonNode verdict = admin.get("/v1/audit/verify");
        System.out.println("  the audit trail (" + verdict.path("entries").asLong() + " entries, "
                + (verdict.path("valid").asBoolean() ? "verified" : "NOT valid")
                + "), and a signed checkpoint to keep:");
        System.out.println("    ./tandem audit list --server " + url + " --token " + token);
        System.out.println("    ./tandem audit checkpoint --out checkpoint.json --server " + url + " --token " + token
                + " && ./tandem audit verify --checkpoint checkpoint.json --server " + url + " --token " + token);
        System.out.println("  what changed, as a feed (JSON Feed; Atom at /v1/feed.atom):");
        System.out.println("    curl -H 'Authorization: Bearer " + token + "' " + url + "/v1/feed");
    }
}
