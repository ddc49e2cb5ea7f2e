package dev.tandem.people;

/** A person as stored: unique {@code name}, {@code team} ({@code marketing}, {@code it}), role, when added, whether a password is set. */
public record Person(String name, String team, Role role, long createdAt, boolean hasPassword) {
    /** How the audit trail and the policy gate name them: {@code person:<name>}. */
    public String caller() {
        return "person:" + name;
    }
}
