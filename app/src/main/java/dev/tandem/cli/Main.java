package dev.tandem.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code tandem} command. */
@Command(
        name = "tandem",
        mixinStandardHelpOptions = true,
        version = "tandem 0.1.0",
        description = "Tandem, the self-hosted customer data platform that marketing and IT run together.",
        subcommands = {
            ServeCommand.class,
            DemoCommand.class,
            SimulateCommand.class,
            SourcesCommand.class,
            AudiencesCommand.class,
            QuarantineCommand.class,
            ProfileCommand.class,
            ReplayCommand.class,
            TokensCommand.class,
            PolicyCommand.class,
            ImportCommand.class,
            DestinationsCommand.class,
            JourneysCommand.class,
            AuditCommand.class,
            PeopleCommand.class,
            ConfigCommand.class,
            PlansCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {
    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0 || !ServeCommand.keepsRunning(args)) {
            System.exit(code);
        }
    }

    /** The command tree, with errors printed as one plain line rather than a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.getSubcommands().get("serve").getCommandSpec().usageMessage().footer(ServeCommand.settingsHelp());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("tandem: " + e.getMessage());
            if (!(e instanceof dev.tandem.config.ConfigException)
                    && !(e instanceof dev.tandem.error.TandemException)
                    && !(e instanceof CommandFailure)) {
                e.printStackTrace(commandLine.getErr());
            }
            return 2;
        });
        return cli;
    }
}
