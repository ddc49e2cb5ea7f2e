package dev.tandem.console;

import java.util.ArrayList;
import java.util.List;

/** What every page shares: who is signed in, the page's title, and the navigation their role opens. */
record Frame(Viewer viewer, String title, String current) {
    record Link(String href, String label, boolean current) {}

    /** Only the pages this person's role may open are linked; the others are not offered at all. */
    List<Link> links() {
        List<Link> out = new ArrayList<>();
        add(out, "/", "Command center", true);
        add(out, "/customers", "Customers", viewer.may("profiles:read"));
        add(out, "/audiences", "Audiences", viewer.may("audiences:read"));
        add(out, "/journeys", "Journeys", viewer.may("journeys:read"));
        add(out, "/decisions", "Decisions", viewer.may("experiments:read"));
        add(out, "/initiatives", "Initiatives", viewer.may("kpis:read"));
        add(out, "/governance", "Governance", viewer.may("changes:read"));
        add(out, "/destinations", "Destinations", viewer.admin());
        add(out, "/jobs", "Jobs", viewer.admin());
        return out;
    }

    private void add(List<Link> out, String href, String label, boolean shown) {
        if (shown) {
            out.add(new Link(href, label, href.equals(current)));
        }
    }
}
