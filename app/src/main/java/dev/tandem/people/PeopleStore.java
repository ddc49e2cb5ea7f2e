package dev.tandem.people;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** The SQL of people, their sign-in links and their sessions. */
final class PeopleStore {
    private static final RowMapper<Person> PERSON = (rs, ctx) -> new Person(
            rs.getString(1),
            rs.getString(2),
            Role.named(rs.getString(3))
                    .orElseThrow(() -> new IllegalStateException("a stored person has an unknown role")),
            rs.getLong(5),
            rs.getString(4) != null);

    /** A stored session: whose, its CSRF token, until when. */
    record Session(String person, String csrf, long expiresAt) {}

    private final Jdbi jdbi;

    PeopleStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    boolean insert(Person p) {
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO people (name, team, role, password, created_at) "
                                + "SELECT :name, :team, :role, NULL, :at WHERE NOT EXISTS "
                                + "(SELECT 1 FROM people WHERE name = :name)")
                        .bind("name", p.name())
                        .bind("team", p.team())
                        .bind("role", p.role().wireName())
                        .bind("at", p.createdAt())
                        .execute())
                == 1;
    }

    Optional<Person> person(String name) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT name, team, role, password, created_at FROM people WHERE name = :n")
                        .bind("n", name)
                        .map(PERSON)
                        .findOne());
    }

    List<Person> people() {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT name, team, role, password, created_at FROM people ORDER BY name")
                        .map(PERSON)
                        .list());
    }

    Optional<String> passwordOf(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT password FROM people WHERE name = :n")
                .bind("n", name)
                .mapTo(String.class)
                .findOne());
    }

    /** Changes the team and role of {@code name}; false when there is no such person. */
    boolean change(String name, String team, Role role) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE people SET team = :t, role = :r WHERE name = :n")
                        .bind("t", team)
                        .bind("r", role.wireName())
                        .bind("n", name)
                        .execute())
                == 1;
    }

    /** Removes the person with their links and sessions; false when there was none. */
    boolean remove(String name) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM sign_in_links WHERE person = :n")
                    .bind("n", name)
                    .execute();
            h.createUpdate("DELETE FROM sessions WHERE person = :n")
                    .bind("n", name)
                    .execute();
            return h.createUpdate("DELETE FROM people WHERE name = :n")
                            .bind("n", name)
                            .execute()
                    == 1;
        });
    }

    /** A new link for {@code person}; earlier links of theirs stop working. */
    void link(String person, String sha256, long expiresAt) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM sign_in_links WHERE person = :p")
                    .bind("p", person)
                    .execute();
            h.createUpdate("INSERT INTO sign_in_links (sha256, person, expires_at) VALUES (:s, :p, :e)")
                    .bind("s", sha256)
                    .bind("p", person)
                    .bind("e", expiresAt)
                    .execute();
        });
    }

    /**
     * Sets the password of whoever the link {@code sha256} is for, when it has not expired at {@code
     * now}, and uses the link up (with every session of theirs: a new password signs out old ones).
     */
    Optional<String> usePasswordLink(String sha256, long now, String passwordHash) {
        return jdbi.inTransaction(h -> {
            Optional<String> person = h.createQuery(
                            "SELECT person FROM sign_in_links WHERE sha256 = :s AND expires_at > :now")
                    .bind("s", sha256)
                    .bind("now", now)
                    .mapTo(String.class)
                    .findOne();
            person.ifPresent(p -> {
                h.createUpdate("DELETE FROM sign_in_links WHERE person = :p")
                        .bind("p", p)
                        .execute();
                h.createUpdate("DELETE FROM sessions WHERE person = :p")
                        .bind("p", p)
                        .execute();
                h.createUpdate("UPDATE people SET password = :pw WHERE name = :p")
                        .bind("pw", passwordHash)
                        .bind("p", p)
                        .execute();
            });
            return person;
        });
    }

    void startSession(String sha256, String person, String csrf, long at, long expiresAt) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO sessions (sha256, person, csrf, created_at, expires_at) "
                        + "VALUES (:s, :p, :c, :at, :e)")
                .bind("s", sha256)
                .bind("p", person)
                .bind("c", csrf)
                .bind("at", at)
                .bind("e", expiresAt)
                .execute());
    }

    Optional<Session> session(String sha256, long now) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT person, csrf, expires_at FROM sessions WHERE sha256 = :s AND expires_at > :now")
                .bind("s", sha256)
                .bind("now", now)
                .map((rs, ctx) -> new Session(rs.getString(1), rs.getString(2), rs.getLong(3)))
                .findOne());
    }

    void endSession(String sha256) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM sessions WHERE sha256 = :s")
                .bind("s", sha256)
                .execute());
    }
}
