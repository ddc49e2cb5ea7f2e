package dev.tandem.change;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.error.Forbidden;
import dev.tandem.people.Person;
import dev.tandem.people.Role;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Who must approve a change, and whether a person may. Low: nobody. Medium: one approval from the
 * owning side (the sides of the object's owners; any side when none is known), or from a
 * technologist, who may do both sides' work; never the author. High: two keys, a person from
 * marketing and a person from IT, neither the author. Analysts read; they never approve.
 */
final class Keys {
    static final String MARKETING = "marketing";
    static final String IT = "it";

    private final Function<String, Optional<Person>> people;
    private final Function<String, String> sideOfTeam;

    /** @param sideOfTeam the side ({@code marketing} or {@code it}) a team is on; null when it is on neither */
    Keys(Function<String, Optional<Person>> people, Function<String, String> sideOfTeam) {
        this.people = people;
        this.sideOfTeam = sideOfTeam;
    }

    String side(Person p) {
        return sideOfTeam.apply(p.team());
    }

    /** The sides of the object's owners: teams by name, people by their team's side. */
    Set<String> owningSides(Change c) {
        JsonNode object = c.declaration() != null ? c.declaration() : c.previous();
        Set<String> sides = new LinkedHashSet<>();
        if (object == null) {
            return sides;
        }
        for (JsonNode o : object.path("owners")) {
            String owner = o.asText();
            String side = sideOfTeam.apply(owner);
            if (side == null) {
                side = people.apply(owner).map(this::side).orElse(null);
            }
            if (side != null) {
                sides.add(side);
            }
        }
        return sides;
    }

    /** What the change still needs, in words; empty when its approvals suffice. */
    List<String> missing(Change c) {
        List<String> needs = new ArrayList<>();
        List<Change.Verdict> approvals =
                c.verdicts().stream().filter(Change.Verdict::approves).toList();
        switch (c.assessment().tier()) {
            case LOW -> {}
            case MEDIUM -> {
                Set<String> owning = owningSides(c);
                boolean met = approvals.stream()
                        .anyMatch(v -> owning.isEmpty()
                                || owning.contains(v.side())
                                || v.role().equals(Role.TECHNOLOGIST.wireName()));
                if (!met) {
                    needs.add(
                            owning.isEmpty()
                                    ? "one approval, by someone other than the author"
                                    : "one approval from " + String.join(" or ", owning)
                                            + " (or a technologist), not the author");
                }
            }
            case HIGH -> {
                for (String side : List.of(MARKETING, IT)) {
                    if (approvals.stream().noneMatch(v -> side.equals(v.side()))) {
                        needs.add("an approval from " + side + ", not the author");
                    }
                }
            }
        }
        return needs;
    }

    /** Refuses a person who may not give a verdict on the change, with the reason (403). */
    void mayJudge(Change c, Person p) {
        if (p.name().equals(c.author().person())) {
            throw new Forbidden(
                    "own_change",
                    "You proposed change " + c.id()
                            + "; someone else must approve or reject it (two people, two keys).");
        }
        if (p.role() == Role.ANALYST) {
            throw new Forbidden(
                    "cannot_approve", p.name() + " is an analyst: analysts read, they do not approve changes.");
        }
        String side = side(p);
        if (c.assessment().tier() == Tier.HIGH && side == null) {
            throw new Forbidden(
                    "wrong_side",
                    "A high-tier change needs a key from marketing and one from IT; " + p.name() + "'s team ("
                            + p.team() + ") is on neither side.");
        }
        if (c.assessment().tier() == Tier.MEDIUM && p.role() != Role.TECHNOLOGIST) {
            Set<String> owning = owningSides(c);
            if (!owning.isEmpty() && !owning.contains(side)) {
                throw new Forbidden(
                        "wrong_side",
                        "Change " + c.id() + " is medium tier: it needs an approval from the owning side ("
                                + String.join(" or ", owning) + ") or a technologist; " + p.name() + " is in "
                                + p.team() + ".");
            }
        }
    }
}
