package dev.tandem.console;

import dev.tandem.people.People;
import dev.tandem.people.Role;

/** The signed-in person a page is for: what the navigation shows, and the session the API calls carry. */
record Viewer(String name, String team, Role role, String session, String csrf) {
    static Viewer of(People.SignedIn in, String session) {
        return new Viewer(in.person().name(), in.person().team(), in.person().role(), session, in.csrf());
    }

    boolean may(String scope) {
        return role.holds(scope);
    }

    boolean admin() {
        return role.administers();
    }

    String roleName() {
        return role.wireName();
    }

    /** Words for a page or panel this person's role does not open. */
    String refusal(String what, String needs) {
        return what + " " + (what.endsWith("s") ? "are" : "is") + " for " + needs + "; " + name + " is "
                + (roleName().matches("[aeiou].*") ? "an " : "a ") + roleName() + ".";
    }
}
