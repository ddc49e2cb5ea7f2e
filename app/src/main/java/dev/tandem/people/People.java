package dev.tandem.people;

import dev.tandem.audit.AuditKind;
import dev.tandem.audit.AuditLog;
import dev.tandem.error.BadRequest;
import dev.tandem.error.Conflict;
import dev.tandem.error.NotFound;
import dev.tandem.error.Unauthorized;
import dev.tandem.error.Unavailable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * People and their sign-in: adding a person gives a one-time link (valid {@link #LINK_VALID}) with
 * which they set a password; signing in with it starts a session (valid {@link #SESSION_VALID}).
 * Every secret is random, shown once, and stored as its SHA-256 only. A wrong name and a wrong
 * password get the same answer, after the same Argon2id work.
 */
public final class People {
    /** The sides a team can be on: approvals count one person of each. */
    public static final Set<String> SIDES = Set.of("marketing", "it");

    static final Duration LINK_VALID = Duration.ofHours(24);
    static final Duration SESSION_VALID = Duration.ofHours(8);
    private static final String NAME = "[a-z][a-z0-9._-]{0,63}";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PeopleStore store;
    private final SignInThrottle throttle;
    private final AuditLog audit;
    private final Clock clock;
    /** Every known team (the built-in marketing and it, and those the server setting declares) to its side. */
    private final Map<String, String> teams;
    /** Checked against when the name is unknown, so that an unknown name costs what a wrong password does. */
    private final String decoy = Passwords.hash("decoy password that nobody has");

    People(PeopleStore store, AuditLog audit, Clock clock, Map<String, String> teams) {
        this.teams = Map.copyOf(teams);
        this.store = store;
        this.throttle = new SignInThrottle(clock);
        this.audit = audit;
        this.clock = clock;
    }

    /** A secret given out once: a sign-in link's or a session's. */
    public record Secret(String value, long expiresAt) {}

    /** A signed-in person and the CSRF token their session's unsafe requests must carry. */
    public record SignedIn(Person person, String csrf) {}

    Secret add(String name, String team, String role, String actor) {
        if (name == null || !name.matches(NAME)) {
            throw new BadRequest(
                    "invalid_name",
                    "A person needs a 'name' of lower-case letters, digits, '.', '_' or '-' (at most 64), starting"
                            + " with a letter, such as 'ann'.",
                    "name");
        }
        Role r = role(role);
        team(team);
        if (!store.insert(new Person(name, team, r, clock.millis(), false))) {
            throw new Conflict(
                    "person_exists",
                    "A person named '" + name + "' exists; send them a new link with POST /v1/admin/people/" + name
                            + "/link, or pick another name.",
                    "name");
        }
        audit.append(actor, AuditKind.PERSON_ADDED, "person:" + name, Map.of("team", team, "role", r.wireName()));
        return link(name);
    }

    /** A new one-time link for {@code name} (earlier ones stop working); it also lifts a lockout. */
    Secret newLink(String name, String actor) {
        if (store.person(name).isEmpty()) {
            throw new NotFound("unknown_person", "No person is named '" + name + "'; see GET /v1/admin/people.");
        }
        throttle.unlock(name);
        audit.append(actor, AuditKind.PERSON_LINK_ISSUED, "person:" + name, Map.of());
        return link(name);
    }

    /** A new team and role for {@code name}; their tokens are held to the new role from their next use. */
    Person change(String name, String team, String role, String actor) {
        Person before = store.person(name)
                .orElseThrow(() ->
                        new NotFound("unknown_person", "No person is named '" + name + "'; see GET /v1/admin/people."));
        String t = team == null ? before.team() : team(team);
        Role r = role == null ? before.role() : role(role);
        store.change(name, t, r);
        audit.append(
                actor,
                AuditKind.PERSON_CHANGED,
                "person:" + name,
                Map.of(
                        "team",
                        t,
                        "role",
                        r.wireName(),
                        "roleBefore",
                        before.role().wireName()));
        return store.person(name).orElseThrow();
    }

    private String team(String team) {
        if (team == null || !teams.containsKey(team)) {
            throw new BadRequest(
                    "invalid_team",
                    "'team' must be a known team: "
                            + new java.util.TreeMap<>(teams)
                                    .entrySet().stream()
                                            .map(t -> t.getKey() + " (" + t.getValue() + ")")
                                            .toList()
                            + "; declare others with the server setting teams, such as 'growth:marketing'.",
                    "team");
        }
        return team;
    }

    /** The side ({@code marketing} or {@code it}) of {@code team}, or null for a team no longer declared. */
    public String sideOf(String team) {
        return teams.get(team);
    }

    /** Every known team to its side, by name. */
    Map<String, String> teams() {
        return new java.util.TreeMap<>(teams);
    }

    private static Role role(String role) {
        return Role.named(role == null ? "" : role)
                .orElseThrow(
                        () -> new BadRequest("invalid_role", "'role' must be one of " + Role.WIRE_NAMES + ".", "role"));
    }

    void setPassword(String link, String password) {
        if (password == null || password.length() < Passwords.MIN_LENGTH || password.length() > Passwords.MAX_LENGTH) {
            throw new BadRequest(
                    "invalid_password",
                    "A password needs " + Passwords.MIN_LENGTH + " to " + Passwords.MAX_LENGTH
                            + " characters; a few unrelated words make a good one.",
                    "password");
        }
        String person = store.usePasswordLink(
                        sha256(link == null ? "" : link), clock.millis(), Passwords.hash(password))
                .orElseThrow(() -> new Unauthorized(
                        "invalid_link", "This sign-in link is unknown, used or expired; ask an admin for a new one."));
        audit.append("person:" + person, AuditKind.PASSWORD_SET, "person:" + person, Map.of());
    }

    /** Signs in; the session's secret goes in the cookie, its CSRF token to the page. */
    Map.Entry<Secret, SignedIn> signIn(String name, String password, String address) {
        // a name that cannot be anyone's shares one counter: nothing of it is kept
        String who = name == null || !name.matches(NAME) ? "?" : name;
        Duration wait = throttle.admit(who, address);
        if (!wait.isZero()) {
            throw new Unavailable(
                    "sign_in_locked",
                    "Too many failed sign-ins; try again in " + Math.max(1, wait.toMinutes())
                            + " minutes, or ask an admin for a new sign-in link.",
                    wait,
                    true,
                    null);
        }
        Optional<Person> person = who.equals("?") ? Optional.empty() : store.person(who);
        String stored = person.flatMap(p -> store.passwordOf(p.name())).orElse(decoy);
        String tried = password == null || password.length() > Passwords.MAX_LENGTH ? "" : password;
        boolean ok = Passwords.matches(tried, stored)
                && !tried.isEmpty()
                && person.isPresent()
                && person.get().hasPassword();
        if (!ok) {
            audit.append("anonymous", AuditKind.SIGN_IN_REFUSED, "person:" + who, Map.of("address", address));
            throw new Unauthorized("invalid_credentials", "The name or the password is wrong.");
        }
        throttle.succeeded(who, address);
        long now = clock.millis();
        String secret = random();
        String csrf = random();
        long expires = now + SESSION_VALID.toMillis();
        store.startSession(sha256(secret), person.get().name(), csrf, now, expires);
        audit.append(person.get().caller(), AuditKind.SIGNED_IN, "person:" + who, Map.of("address", address));
        return Map.entry(new Secret(secret, expires), new SignedIn(person.get(), csrf));
    }

    /** Who a session cookie's {@code secret} belongs to, while it is valid and its person exists. */
    public Optional<SignedIn> session(String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > 100) {
            return Optional.empty();
        }
        return store.session(sha256(secret), clock.millis())
                .flatMap(s -> store.person(s.person()).map(p -> new SignedIn(p, s.csrf())));
    }

    void signOut(String secret, Person person) {
        store.endSession(sha256(secret));
        audit.append(person.caller(), AuditKind.SIGNED_OUT, person.caller(), Map.of());
    }

    /** The person named {@code name}, if any: what a token's owner may do now. */
    /** Whether anyone has been added yet: until then there is nobody to approve a change. */
    public boolean anyone() {
        return !store.people().isEmpty();
    }

    public Optional<Person> person(String name) {
        return store.person(name);
    }

    List<Person> list() {
        return store.people();
    }

    void remove(String name, String actor) {
        if (!store.remove(name)) {
            throw new NotFound("unknown_person", "No person is named '" + name + "'; see GET /v1/admin/people.");
        }
        audit.append(actor, AuditKind.PERSON_REMOVED, "person:" + name, Map.of());
    }

    private Secret link(String name) {
        String secret = random();
        long expires = clock.millis() + LINK_VALID.toMillis();
        store.link(name, sha256(secret), expires);
        return new Secret(secret, expires);
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
