package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tandem people add|list|change|link|remove}: who works in Tandem, on which side, in which role. */
@Command(
        name = "people",
        mixinStandardHelpOptions = true,
        description = "Add people (each gets a one-time sign-in link), list, change roles, send new links, remove.",
        subcommands = {
            PeopleCommand.Add.class,
            PeopleCommand.ListPeople.class,
            PeopleCommand.Change.class,
            PeopleCommand.Link.class,
            PeopleCommand.Remove.class
        })
final class PeopleCommand {
    private static final String ROLES = "marketer, steward, technologist, analyst, admin";

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a person; prints their sign-in link.")
    static final class Add implements Runnable {
        @Mixin
        ServerOptions server;

        @Option(names = "--name", required = true, description = "lower-case, such as ann")
        String name;

        @Option(names = "--team", required = true, description = "marketing or it")
        String team;

        @Option(names = "--role", required = true, description = ROLES)
        String role;

        @Override
        public void run() {
            AdminClient client = server.client();
            ObjectNode body = client.mapper()
                    .createObjectNode()
                    .put("name", name)
                    .put("team", team)
                    .put("role", role);
            printLink(client.post("/v1/admin/people", body.toString()), name);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List people with their team and role.")
    static final class ListPeople implements Runnable {
        @Mixin
        ServerOptions server;

        @Override
        public void run() {
            JsonNode people = server.client().get("/v1/admin/people").path("people");
            System.out.printf("%-20s %-10s %-13s %-9s %s%n", "NAME", "TEAM", "ROLE", "PASSWORD", "ADDED");
            for (JsonNode p : people) {
                System.out.printf(
                        "%-20s %-10s %-13s %-9s %s%n",
                        p.path("name").asText(),
                        p.path("team").asText(),
                        p.path("role").asText(),
                        p.path("passwordSet").asBoolean() ? "set" : "not yet",
                        p.path("createdAt").asText());
            }
        }
    }

    @Command(name = "change", mixinStandardHelpOptions = true, description = "Change a person's team or role.")
    static final class Change implements Runnable {
        @Mixin
        ServerOptions server;

        @Option(names = "--name", required = true)
        String name;

        @Option(names = "--team", description = "marketing or it")
        String team;

        @Option(names = "--role", description = ROLES)
        String role;

        @Override
        public void run() {
            AdminClient client = server.client();
            ObjectNode body = client.mapper().createObjectNode();
            if (team != null) {
                body.put("team", team);
            }
            if (role != null) {
                body.put("role", role);
            }
            JsonNode p = client.put("/v1/admin/people/" + name, body.toString());
            System.out.println(p.path("name").asText() + " is now "
                    + p.path("role").asText() + " in " + p.path("team").asText()
                    + "; their API tokens are held to this role from their next use.");
        }
    }

    @Command(
            name = "link",
            mixinStandardHelpOptions = true,
            description =
                    "Send a person a new sign-in link (a forgotten password, a lockout); earlier links stop working.")
    static final class Link implements Runnable {
        @Mixin
        ServerOptions server;

        @Option(names = "--name", required = true)
        String name;

        @Override
        public void run() {
            printLink(server.client().post("/v1/admin/people/" + name + "/link", null), name);
        }
    }

    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = "Remove a person, their sessions and their tokens' rights.")
    static final class Remove implements Runnable {
        @Mixin
        ServerOptions server;

        @Option(names = "--name", required = true)
        String name;

        @Override
        public void run() {
            server.client().delete("/v1/admin/people/" + name);
            System.out.println(name + " removed; their sessions ended and their API tokens no longer work.");
        }
    }

    private static void printLink(JsonNode answer, String name) {
        System.out.println("Sign-in link for " + name + " (shown once, valid until "
                + answer.path("linkExpiresAt").asText() + "):");
        System.out.println("  " + answer.path("signInLink").asText());
        System.out.println("Send it privately. With it they choose a password, then sign in.");
    }
}
